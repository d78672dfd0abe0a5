import Foundation
import PosternHashing
import PosternProtocol
import PosternRPC
import PosternWire

/// `Users/Import`: users from authentik, Django or /etc/shadow with the hashes they have. All
/// or nothing: every row is checked — its fields, its hash's format, duplicates within the
/// batch and against the store — before any is stored; a refusal lists every bad row, counted
/// from 1 as the lines of a file are.
struct UserImport {
    static let maximumRows = 10_000
    /// Row problems listed in one error message at most.
    static let maximumListed = 50

    let store: PasswordStore

    func run(_ request: Postern.Password.V1.ImportUsersRequest, now: Date) async throws(RPCError) -> [StoredUser] {
        guard !request.users.isEmpty else { throw RPCError(code: .invalidArgument, message: "no users to import") }
        guard request.users.count <= Self.maximumRows else {
            throw RPCError(code: .invalidArgument, message: "\(request.users.count) users; at most \(Self.maximumRows) per import")
        }
        var rows: [StoredUser] = []
        var problems: [String] = []
        var seenIDs: [String: Int] = [:]
        var seenUsernames: [String: Int] = [:]
        for (index, row) in request.users.enumerated() {
            do throws(RPCError) {
                let user = try Self.storedUser(row, now: now)
                if let first = seenIDs.updateValue(index, forKey: user.id) {
                    throw RPCError(code: .invalidArgument, message: "id repeats row \(first + 1)")
                }
                if let first = seenUsernames.updateValue(index, forKey: user.username) {
                    throw RPCError(code: .invalidArgument, message: "username repeats row \(first + 1)")
                }
                rows.append(user)
            } catch {
                problems.append("row \(index + 1) (\(RPCRouter.printable(row.username))): \(error.message)")
            }
        }
        guard problems.isEmpty else { throw Self.refusal(.invalidArgument, problems, of: request.users.count) }
        let conflicts: [(index: Int, column: String)]
        do {
            conflicts = try await store.insertAll(rows)
        } catch {
            throw RPCError(code: .unavailable, message: "the user store is unavailable; nothing was imported")
        }
        guard conflicts.isEmpty else {
            throw Self.refusal(
                .alreadyExists,
                conflicts.map { "row \($0.index + 1) (\(RPCRouter.printable(rows[$0.index].username))): a user with this \($0.column) already exists" },
                of: request.users.count)
        }
        return rows
    }

    private static func storedUser(_ row: Postern.Password.V1.ImportedUser, now: Date) throws(RPCError) -> StoredUser {
        if row.type == .serviceAccount && !row.passwordHash.isEmpty {
            throw RPCError(
                code: .invalidArgument,
                message: "a service account takes no password_hash: it signs in with app passwords only")
        }
        do {
            try PasswordHashing.validateForImport(row.passwordHash)
        } catch {
            throw RPCError(code: .invalidArgument, message: "password_hash: \(error.message)")
        }
        return try UserFieldRules.newUser(
            id: row.id, username: row.username, name: row.name, kind: row.type, attributesJSON: row.attributesJSON,
            inactive: row.inactive, ldapDN: row.ldapDN, kerberosPrincipal: row.kerberosPrincipal,
            passwordHash: row.passwordHash,
            passwordChangedAt: row.passwordChangedUnixMs > 0
                ? Date(timeIntervalSince1970: Double(row.passwordChangedUnixMs) / 1000) : nil,
            now: now)
    }

    private static func refusal(_ code: StatusCode, _ problems: [String], of total: Int) -> RPCError {
        var listed = problems.prefix(maximumListed).joined(separator: "; ")
        if problems.count > maximumListed { listed += "; and \(problems.count - maximumListed) more" }
        return RPCError(code: code, message: "\(problems.count) of \(total) rows refused, nothing imported: \(listed)")
    }
}
