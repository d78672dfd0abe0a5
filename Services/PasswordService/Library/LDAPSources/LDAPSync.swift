import Foundation
import GRDB
import PosternLDAP
import PosternRPC
import PosternStore

/// `postern source ldap sync`: users imported and kept up to date from one source's search.
/// An entry is known by its stable identity (`unique_attribute`, entryUUID by default), so a
/// renamed entry updates its user instead of making a second. docs/ldap.md, "Sync".
enum LDAPSync {
    /// One entry as sync reads it.
    struct Entry: Sendable, Equatable {
        var uniqueID: String
        var username: String
        var name: String
        var dn: String
    }

    struct Report: Sendable, Equatable {
        var created = 0
        var updated = 0
        var unchanged = 0
        var deactivated = 0
        var skipped: [String] = []
    }

    /// The entries a search found, each checked as a user's fields; the others are skipped
    /// with the reason.
    static func entries(_ found: [LDAPEntry], settings: LDAPSourceSettings) -> (entries: [Entry], skipped: [String]) {
        var entries: [Entry] = []
        var skipped: [String] = []
        var seen: Set<String> = []
        for entry in found {
            // A value that is not UTF-8 would read as missing (an empty name, say): say so instead.
            let mapped = [settings.uniqueAttribute, settings.usernameAttribute, settings.nameAttribute].map { $0.lowercased() }
            if let bad = mapped.first(where: entry.undecodable.contains) {
                skipped.append("\(entry.dn): \(bad) is not UTF-8 text")
                continue
            }
            guard let uniqueID = entry.first(settings.uniqueAttribute), !uniqueID.isEmpty else {
                skipped.append("\(entry.dn): no \(settings.uniqueAttribute)")
                continue
            }
            guard seen.insert(uniqueID).inserted else {
                skipped.append("\(entry.dn): \(settings.uniqueAttribute) \(uniqueID) is another entry's too")
                continue
            }
            guard let rawUsername = entry.first(settings.usernameAttribute) else {
                skipped.append("\(entry.dn): no \(settings.usernameAttribute)")
                continue
            }
            do {
                let username = try UserFieldRules.username(rawUsername)
                let name = try UserFieldRules.name(entry.first(settings.nameAttribute) ?? "")
                guard let dn = try UserFieldRules.reference(entry.dn, "ldap_dn") else {
                    skipped.append("(an entry without a DN): skipped")
                    continue
                }
                entries.append(Entry(uniqueID: uniqueID, username: username, name: name, dn: dn))
            } catch {
                skipped.append("\(entry.dn): \(error.message)")
            }
        }
        return (entries, skipped)
    }
}

extension PasswordStore {
    /// Brings the users `source` imported in line with `entries`, in one transaction (rolled
    /// back for a dry run): new entries become users (no password: they sign in through the
    /// directory), known ones get their username, name and DN, and users whose entry is gone
    /// are disabled. A username another Postern user has already is never taken over: that
    /// entry is skipped. A user disabled by anybody stays disabled when found again.
    func syncLDAPUsers(source: String, entries: [LDAPSync.Entry], dryRun: Bool, now: Date) async throws(RPCError) -> LDAPSync.Report {
        try await transaction(rollBack: dryRun) { db in
            var report = LDAPSync.Report()
            var links: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT unique_id, user_id FROM ldap_source_user WHERE source = ?", arguments: [source]) {
                links[row["unique_id"]] = row["user_id"]
            }
            var seenUsers: Set<String> = []
            for entry in entries {
                if let userID = links[entry.uniqueID], var user = try StoredUser.fetchOne(db, key: userID) {
                    seenUsers.insert(userID)
                    if let other = try StoredUser.filter(Column("username") == entry.username).fetchOne(db), other.id != user.id {
                        report.skipped.append("\(entry.dn): username \(entry.username) is another Postern user's (\(other.id))")
                        continue
                    }
                    guard user.username != entry.username || user.name != entry.name || user.ldapDN != entry.dn else {
                        report.unchanged += 1
                        continue
                    }
                    user.username = entry.username
                    user.name = entry.name
                    user.ldapDN = entry.dn
                    user.updatedAt = now
                    try user.update(db)
                    report.updated += 1
                    continue
                }
                if let existing = try StoredUser.filter(Column("username") == entry.username).fetchOne(db) {
                    report.skipped.append(
                        "\(entry.dn): username \(entry.username) is a Postern user this source did not import (\(existing.id)); link it by hand or rename one")
                    continue
                }
                let user = StoredUser(
                    id: UUID().uuidString.lowercased(), username: entry.username, name: entry.name, ldapDN: entry.dn,
                    createdAt: now, updatedAt: now)
                try user.insert(db)
                try db.execute(
                    sql: "INSERT OR REPLACE INTO ldap_source_user (source, unique_id, user_id) VALUES (?, ?, ?)",
                    arguments: [source, entry.uniqueID, user.id])
                seenUsers.insert(user.id)
                report.created += 1
            }
            for userID in Set(links.values).subtracting(seenUsers) {
                guard var user = try StoredUser.fetchOne(db, key: userID), user.isActive else { continue }
                user.isActive = false
                user.updatedAt = now
                try user.update(db)
                report.deactivated += 1
            }
            return report
        }
    }
}
