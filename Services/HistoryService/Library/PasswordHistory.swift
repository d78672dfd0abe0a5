import Foundation
import GRDB
import PosternCrypto
import PosternStore

/// The history itself: record a password, and ask whether one was among a user's last N — at
/// the cost of one Argon2id whatever N is (DESIGN.md "Password history"). An entry is
/// HMAC-SHA-256(pepper, Argon2id(password, the user's salt)); the salt is per user, so one
/// password gives unrelated digests for two users, and without the pepper a stolen database
/// cannot be checked at all. Synchronous: the hashing is the caller's to schedule (the RPCs
/// run it on a bounded pool).
public struct PasswordHistory: Sendable {
    /// New entries are made with these: OWASP's Argon2id minimum, as postern-password's hashes.
    public static let defaultParameters = Argon2.Parameters(variant: .id, memoryKiB: 19456, iterations: 2, parallelism: 1)
    static let saltLength = 16

    let store: HistoryStore
    let pepper: HistoryPepper
    let parameters: Argon2.Parameters

    public init(store: HistoryStore, pepper: HistoryPepper, parameters: Argon2.Parameters = Self.defaultParameters) {
        self.store = store
        self.pepper = pepper
        self.parameters = parameters
    }

    /// How many passwords are kept per user, the current one included; 0 when history is off.
    public func retention() throws(StoreError) -> Int {
        try store.read { db in
            try Int.fetchOne(db, sql: "SELECT value FROM history_setting WHERE key = 'retention'") ?? 0
        }
    }

    /// Keeps `count` passwords per user from now on: fewer trims at once, 0 purges everything
    /// (entries and salts), as authentik does when no uniqueness policy is left (spec §14.5).
    /// Returns the entries removed.
    @discardableResult
    public func setRetention(_ count: Int) throws(StoreError) -> Int {
        precondition(count >= 0)
        return try store.write { db in
            try db.execute(
                sql: "INSERT INTO history_setting (key, value) VALUES ('retention', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                arguments: [String(count)])
            if count == 0 {
                try db.execute(sql: "DELETE FROM history_entry")
                let removed = db.changesCount
                try db.execute(sql: "DELETE FROM pending_entry")
                try db.execute(sql: "DELETE FROM user_salt")
                return removed
            }
            try db.execute(
                sql: """
                    DELETE FROM history_entry WHERE id IN (
                        SELECT id FROM (
                            SELECT id, row_number() OVER (PARTITION BY user_id ORDER BY id DESC) AS age FROM history_entry)
                        WHERE age > ?)
                    """,
                arguments: [count])
            return db.changesCount
        }
    }

    /// Records `password` as `userID`'s newest, trimming to the retention; nothing while
    /// history is off. Returns whether it recorded, and the retention in force.
    @discardableResult
    public func record(_ password: [UInt8], for userID: String, now: Date = Date()) throws(StoreError) -> (recorded: Bool, retention: Int) {
        let retention = try retention()
        guard retention > 0 else { return (false, 0) }
        let (digest, parameterText, check) = try newEntry(password, for: userID)
        try store.write { db in
            try db.execute(
                sql: "INSERT INTO history_entry (user_id, digest, parameters, pepper_check, created_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [userID, digest, parameterText, check, now])
            try Self.trim(db, userID: userID, to: retention)
        }
        return (true, retention)
    }

    /// Records `password` for `userID` as pending: no check counts it until `confirm`, and
    /// unconfirmed it is gone after `expiry`. Nothing while history is off. Returns the pending
    /// entry's id (nil when nothing was recorded) and the retention in force.
    public func recordPending(
        _ password: [UInt8], for userID: String, expiry: Duration, now: Date = Date()
    ) throws(StoreError) -> (id: String?, retention: Int) {
        let retention = try retention()
        guard retention > 0 else { return (nil, 0) }
        let (digest, parameterText, check) = try newEntry(password, for: userID)
        let id = SecureRandom.bytes(16).map { String(format: "%02x", $0) }.joined()
        let expires = now.addingTimeInterval(Self.seconds(expiry))
        try store.write { db in
            try db.execute(sql: "DELETE FROM pending_entry WHERE expires_at <= ?", arguments: [now])
            try db.execute(
                sql: """
                    INSERT INTO pending_entry (id, user_id, digest, parameters, pepper_check, created_at, expires_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [id, userID, digest, parameterText, check, now, expires])
        }
        return (id, retention)
    }

    /// Makes the pending entry `id` history (as of when it was recorded) and trims its user to
    /// the retention; returns its user. Nil when there is no such entry left: confirmed
    /// already, discarded, expired, or history turned off meanwhile.
    public func confirm(_ id: String, now: Date = Date()) throws(StoreError) -> String? {
        try store.write { db -> String? in
            guard let row = try Row.fetchOne(
                db, sql: "SELECT user_id, digest, parameters, pepper_check, created_at, expires_at FROM pending_entry WHERE id = ?",
                arguments: [id])
            else { return nil }
            try db.execute(sql: "DELETE FROM pending_entry WHERE id = ?", arguments: [id])
            let retention = try Int.fetchOne(db, sql: "SELECT value FROM history_setting WHERE key = 'retention'") ?? 0
            let expires: Date = row["expires_at"]
            guard retention > 0, expires > now else { return nil }
            let userID: String = row["user_id"]
            try db.execute(
                sql: "INSERT INTO history_entry (user_id, digest, parameters, pepper_check, created_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [userID, row["digest"] as Data, row["parameters"] as String, row["pepper_check"] as String, row["created_at"] as Date])
            try Self.trim(db, userID: userID, to: retention)
            return userID
        }
    }

    /// Drops the pending entry `id`, if it is still there; returns whether it was.
    @discardableResult
    public func discard(_ id: String) throws(StoreError) -> Bool {
        try store.write { db in
            try db.execute(sql: "DELETE FROM pending_entry WHERE id = ?", arguments: [id])
            return db.changesCount > 0
        }
    }

    /// Drops the pending entries that expired by `now`; returns how many.
    @discardableResult
    public func dropExpiredPending(now: Date = Date()) throws(StoreError) -> Int {
        try store.write { db in
            try db.execute(sql: "DELETE FROM pending_entry WHERE expires_at <= ?", arguments: [now])
            return db.changesCount
        }
    }

    /// A new entry's digest, parameters and pepper check for `password` and `userID`.
    private func newEntry(_ password: [UInt8], for userID: String) throws(StoreError) -> (Data, String, String) {
        let salt = try salt(for: userID)
        return (Data(digest(password, salt: salt, parameters: parameters)), Self.text(parameters), pepper.check)
    }

    /// Keeps `userID`'s newest `retention` entries.
    private static func trim(_ db: Database, userID: String, to retention: Int) throws {
        try db.execute(
            sql: """
                DELETE FROM history_entry WHERE user_id = ? AND id NOT IN (
                    SELECT id FROM history_entry WHERE user_id = ? ORDER BY id DESC LIMIT ?)
                """,
            arguments: [userID, userID, retention])
    }

    private static func seconds(_ duration: Duration) -> TimeInterval {
        let (seconds, attoseconds) = duration.components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }

    /// Whether `password` is among `userID`'s last `count` recorded passwords, and how many
    /// entries were compared. One Argon2id per distinct parameter set among those entries —
    /// normally one — however large `count` is. Entries made under another pepper cannot be
    /// checked and count as not matching.
    public func check(_ password: [UInt8], for userID: String, count: Int) throws(StoreError) -> (reused: Bool, compared: Int) {
        guard count > 0 else { return (false, 0) }
        let check = pepper.check
        let (salt, entries) = try store.read { db -> ([UInt8]?, [(digest: Data, parameters: String)]) in
            let salt = try Data.fetchOne(db, sql: "SELECT salt FROM user_salt WHERE user_id = ?", arguments: [userID])
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT digest, parameters FROM history_entry WHERE user_id = ? AND pepper_check = ?
                    ORDER BY id DESC LIMIT ?
                    """,
                arguments: [userID, check, count])
            let entries = rows.map { row -> (digest: Data, parameters: String) in (row["digest"], row["parameters"]) }
            return (salt.map { [UInt8]($0) }, entries)
        }
        // A user without history still costs one hash, so the answer's time tells nothing.
        guard let salt, !entries.isEmpty else {
            _ = digest(password, salt: [UInt8](repeating: 0, count: Self.saltLength), parameters: parameters)
            return (false, 0)
        }
        var reused = false
        for parameterText in Set(entries.map(\.parameters)) {
            guard let entryParameters = Self.parameters(parameterText) else { continue }
            let candidate = digest(password, salt: salt, parameters: entryParameters)
            for entry in entries where entry.parameters == parameterText {
                // Compare every entry, match or not: the time does not say which one matched.
                if ConstantTime.equals(candidate, [UInt8](entry.digest)) { reused = true }
            }
        }
        return (reused, entries.count)
    }

    /// Forgets everything about `userID`; returns the entries removed.
    @discardableResult
    public func forget(_ userID: String) throws(StoreError) -> Int {
        try store.write { db in
            try db.execute(sql: "DELETE FROM history_entry WHERE user_id = ?", arguments: [userID])
            let removed = db.changesCount
            try db.execute(sql: "DELETE FROM pending_entry WHERE user_id = ?", arguments: [userID])
            try db.execute(sql: "DELETE FROM user_salt WHERE user_id = ?", arguments: [userID])
            return removed
        }
    }

    /// What the history holds, for operators.
    public struct Stats: Sendable {
        public var retention: Int
        public var users: Int
        public var entries: Int
        public var entriesOtherPepper: Int
        public var parameterSets: [(parameters: String, entries: Int)]
        public var databaseBytes: Int
        public var pending: Int
    }

    public func stats(now: Date = Date()) throws(StoreError) -> Stats {
        let check = pepper.check
        return try store.read { db in
            let retention = try Int.fetchOne(db, sql: "SELECT value FROM history_setting WHERE key = 'retention'") ?? 0
            let users = try Int.fetchOne(db, sql: "SELECT count(DISTINCT user_id) FROM history_entry") ?? 0
            let entries = try Int.fetchOne(db, sql: "SELECT count(*) FROM history_entry") ?? 0
            let other = try Int.fetchOne(
                db, sql: "SELECT count(*) FROM history_entry WHERE pepper_check <> ?", arguments: [check]) ?? 0
            let sets = try Row.fetchAll(
                db, sql: "SELECT parameters, count(*) AS entries FROM history_entry GROUP BY parameters ORDER BY parameters")
                .map { row -> (parameters: String, entries: Int) in (row["parameters"], row["entries"]) }
            let pages = try Int.fetchOne(db, sql: "SELECT page_count - freelist_count FROM pragma_page_count, pragma_freelist_count") ?? 0
            let pageSize = try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 0
            let pending = try Int.fetchOne(db, sql: "SELECT count(*) FROM pending_entry WHERE expires_at > ?", arguments: [now]) ?? 0
            return Stats(
                retention: retention, users: users, entries: entries, entriesOtherPepper: other, parameterSets: sets,
                databaseBytes: pages * pageSize, pending: pending)
        }
    }

    /// The user's salt, made (random) the first time.
    private func salt(for userID: String) throws(StoreError) -> [UInt8] {
        let fresh = SecureRandom.bytes(Self.saltLength)
        return try store.write { db in
            try db.execute(
                sql: "INSERT INTO user_salt (user_id, salt) VALUES (?, ?) ON CONFLICT (user_id) DO NOTHING",
                arguments: [userID, Data(fresh)])
            return [UInt8](try Data.fetchOne(db, sql: "SELECT salt FROM user_salt WHERE user_id = ?", arguments: [userID]) ?? Data(fresh))
        }
    }

    func digest(_ password: [UInt8], salt: [UInt8], parameters: Argon2.Parameters) -> [UInt8] {
        guard let stretched = Argon2.hash(password: password, salt: salt, parameters: parameters) else {
            preconditionFailure("libargon2 refused the history parameters \(parameters)")
        }
        return HMACSHA256.authenticationCode(key: pepper.secret, message: stretched)
    }

    static func text(_ parameters: Argon2.Parameters) -> String {
        "\(parameters.variant.rawValue)$m=\(parameters.memoryKiB),t=\(parameters.iterations),p=\(parameters.parallelism)"
    }

    /// `argon2id$m=19456,t=2,p=1` back into parameters; nil for anything else.
    static func parameters(_ text: String) -> Argon2.Parameters? {
        let parts = text.split(separator: "$")
        guard parts.count == 2, let variant = Argon2.Variant(rawValue: String(parts[0])) else { return nil }
        var values: [Substring: UInt32] = [:]
        for pair in parts[1].split(separator: ",") {
            let keyValue = pair.split(separator: "=", maxSplits: 1)
            guard keyValue.count == 2, let value = UInt32(keyValue[1]) else { return nil }
            values[keyValue[0]] = value
        }
        guard let m = values["m"], let t = values["t"], let p = values["p"], values.count == 3,
              (8...(1 << 20)).contains(m), (1...64).contains(t), (1...64).contains(p)
        else { return nil }
        return Argon2.Parameters(variant: variant, memoryKiB: m, iterations: t, parallelism: p)
    }
}
