import Dispatch
import Foundation
import GRDB
import PosternCrypto
import PosternDaemon
import PosternHashing
import PosternStore

/// The history itself: record a password, and ask whether one was among a user's last N — at
/// the cost of one Argon2id whatever N is (docs/history.md). An entry is
/// HMAC-SHA-256(pepper, Argon2id(password, the user's salt)); the salt is per user, so one
/// password gives unrelated digests for two users, and without the pepper a stolen database
/// cannot be checked at all. Each entry names its kind (parameters and pepper), so several may
/// coexist while parameters or peppers are rotated. Synchronous: the hashing is the caller's
/// to schedule (the RPCs run it on a bounded pool).
public struct PasswordHistory: Sendable {
    /// New entries are made with these: OWASP's Argon2id minimum, as postern-password's hashes.
    public static let defaultParameters = Argon2.Parameters(variant: .id, memoryKiB: 19456, iterations: 2, parallelism: 1)
    static let saltLength = 16
    /// The kind of entries imported from authentik: each a Django hash string, sealed.
    static let legacyKind = "django"

    let store: HistoryStore
    let peppers: HistoryPeppers
    let parameters: Argon2.Parameters

    public init(store: HistoryStore, peppers: HistoryPeppers, parameters: Argon2.Parameters = Self.defaultParameters) {
        self.store = store
        self.peppers = peppers
        self.parameters = parameters
    }

    public init(store: HistoryStore, pepper: HistoryPepper, parameters: Argon2.Parameters = Self.defaultParameters) {
        self.init(store: store, peppers: HistoryPeppers(current: pepper), parameters: parameters)
    }

    // MARK: Retention

    /// How many passwords are kept per user, the current one included; 0 when history is off.
    public func retention() throws(StoreError) -> Int {
        try store.read { db in try Self.retention(db) }
    }

    /// Keeps `count` passwords per user from now on: fewer trims at once, 0 purges everything
    /// (entries, pending entries and salts), as authentik does when no uniqueness policy is
    /// left (as authentik's policy does). Returns the entries removed. The retention it already
    /// is changes nothing and writes nothing (every record and import trims to it already), so
    /// postern-policy may set it again as often as it likes.
    @discardableResult
    public func setRetention(_ count: Int) throws(StoreError) -> Int {
        precondition(count >= 0)
        return try store.write { db in
            // Nothing written: a transaction without changes appends nothing to the WAL.
            if try Self.retention(db) == count { return 0 }
            try db.execute(
                sql: "INSERT INTO history_setting (key, value) VALUES ('retention', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                arguments: [String(count)])
            if count == 0 {
                try db.execute(sql: "DELETE FROM entry")
                let removed = db.changesCount
                try db.execute(sql: "DELETE FROM pending")
                try db.execute(sql: "DELETE FROM history_user")
                return removed
            }
            try db.execute(
                sql: """
                    DELETE FROM entry WHERE id IN (
                        SELECT id FROM (
                            SELECT id, row_number() OVER (PARTITION BY user ORDER BY created_at DESC, id DESC) AS age FROM entry)
                        WHERE age > ?)
                    """,
                arguments: [count])
            return db.changesCount
        }
    }

    // MARK: Recording

    /// A new entry's digest as a check computed it for a reservation (docs/history.md
    /// "Reservations"): usable while the user's salt is the one it was made with.
    public struct PreparedDigest: Sendable {
        let salt: [UInt8]
        let digest: [UInt8]
        let parameters: String
        let pepperCheck: String
    }

    /// Where a new entry's digest comes from: the password, hashed now, or a check's.
    enum EntrySource {
        case password([UInt8])
        case prepared(PreparedDigest)
    }

    /// Records `password` as `userID`'s newest, trimming to the retention; nothing while
    /// history is off. Returns whether it recorded, and the retention in force.
    @discardableResult
    public func record(_ password: [UInt8], for userID: String, now: Date = Date()) throws(StoreError) -> (recorded: Bool, retention: Int) {
        // A password always makes its digest.
        try record(.password(password), for: userID, now: now)!
    }

    /// As `record(_:for:)` with the digest a check prepared, and no hashing; nil (nothing
    /// written) when it no longer fits — the user's salt changed since (forgotten, or history
    /// purged): hash the password instead.
    public func record(prepared: PreparedDigest, for userID: String, now: Date = Date()) throws(StoreError) -> (recorded: Bool, retention: Int)? {
        try record(.prepared(prepared), for: userID, now: now)
    }

    func record(_ source: EntrySource, for userID: String, now: Date) throws(StoreError) -> (recorded: Bool, retention: Int)? {
        let retention = try retention()
        guard retention > 0 else { return (false, 0) }
        let (user, salt) = try userAndSalt(userID)
        guard let made = entry(source, salt: salt) else { return nil }
        try store.write { db in
            try db.execute(
                sql: "INSERT INTO entry (user, kind, digest, created_at) VALUES (?, ?, ?, ?)",
                arguments: [user, try Self.kind(db, parameters: made.parameters, pepperCheck: made.pepperCheck),
                            Data(made.digest), now.unixMilliseconds])
            try Self.trim(db, user: user, to: retention)
        }
        return (true, retention)
    }

    /// Records `password` for `userID` as pending: no check counts it until `confirm`, and
    /// unconfirmed it is gone after `expiry`. Nothing while history is off. Returns the pending
    /// entry's id (nil when nothing was recorded) and the retention in force.
    public func recordPending(
        _ password: [UInt8], for userID: String, expiry: Duration, now: Date = Date()
    ) throws(StoreError) -> (id: String?, retention: Int) {
        // A password always makes its digest.
        try recordPending(.password(password), for: userID, expiry: expiry, now: now)!
    }

    /// As `recordPending(_:for:expiry:)` with the digest a check prepared; nil (nothing
    /// written) when it no longer fits the user's salt.
    public func recordPending(
        prepared: PreparedDigest, for userID: String, expiry: Duration, now: Date = Date()
    ) throws(StoreError) -> (id: String?, retention: Int)? {
        try recordPending(.prepared(prepared), for: userID, expiry: expiry, now: now)
    }

    func recordPending(
        _ source: EntrySource, for userID: String, expiry: Duration, now: Date
    ) throws(StoreError) -> (id: String?, retention: Int)? {
        let retention = try retention()
        guard retention > 0 else { return (nil, 0) }
        let (user, salt) = try userAndSalt(userID)
        guard let made = entry(source, salt: salt) else { return nil }
        let id = SecureRandom.bytes(16).map { String(format: "%02x", $0) }.joined()
        let created = now.unixMilliseconds
        let expires = now.addingTimeInterval(expiry.timeInterval).unixMilliseconds
        try store.write { db in
            try db.execute(sql: "DELETE FROM pending WHERE expires_at <= ?", arguments: [created])
            try Self.forgetOldConfirmations(db, now: now)
            try db.execute(
                sql: "INSERT INTO pending (id, user, kind, digest, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [id, user, try Self.kind(db, parameters: made.parameters, pepperCheck: made.pepperCheck),
                            Data(made.digest), created, expires])
        }
        return (id, retention)
    }

    /// The new entry `source` gives under `salt` (current parameters and pepper); nil for a
    /// prepared digest made under another salt.
    private func entry(_ source: EntrySource, salt: [UInt8]) -> PreparedDigest? {
        switch source {
        case .password(let password):
            PreparedDigest(
                salt: salt, digest: digest(password, salt: salt, parameters: parameters, pepper: peppers.current),
                parameters: Self.text(parameters), pepperCheck: peppers.current.check)
        case .prepared(let prepared):
            prepared.salt == salt ? prepared : nil
        }
    }

    /// What a Confirm found.
    public enum ConfirmOutcome: Equatable, Sendable {
        /// The pending entry is history now; its user.
        case recorded(userID: String)
        /// It was confirmed before (a Confirm repeated after postern-password was killed
        /// before it deleted its own row): nothing changes, and it is not lost.
        case recordedBefore
        /// No such entry: discarded, expired, never recorded, or history turned off meanwhile.
        case missing
    }

    /// How long the ids of confirmed entries are remembered, to answer a repeated Confirm.
    public static let confirmedIDsKept: TimeInterval = 30 * 86_400

    /// Makes the pending entry `id` history (as of when it was recorded), trims its user to the
    /// retention, and remembers that `id` was confirmed (`confirmedIDsKept`).
    public func confirm(_ id: String, now: Date = Date()) throws(StoreError) -> ConfirmOutcome {
        try store.write { db -> ConfirmOutcome in
            guard let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT p.user, p.kind, p.digest, p.created_at, p.expires_at, u.user_id
                    FROM pending p JOIN history_user u ON u.id = p.user WHERE p.id = ?
                    """,
                arguments: [id])
            else {
                let before = try Bool.fetchOne(db, sql: "SELECT 1 FROM confirmed_pending WHERE id = ?", arguments: [id]) ?? false
                return before ? .recordedBefore : .missing
            }
            try db.execute(sql: "DELETE FROM pending WHERE id = ?", arguments: [id])
            let retention = try Self.retention(db)
            guard retention > 0, (row["expires_at"] as Int64) > now.unixMilliseconds else { return .missing }
            let user: Int64 = row["user"]
            try db.execute(
                sql: "INSERT INTO entry (user, kind, digest, created_at) VALUES (?, ?, ?, ?)",
                arguments: [user, row["kind"] as Int64, row["digest"] as Data, row["created_at"] as Int64])
            try Self.trim(db, user: user, to: retention)
            try db.execute(
                sql: "INSERT OR REPLACE INTO confirmed_pending (id, confirmed_at) VALUES (?, ?)",
                arguments: [id, now.unixMilliseconds])
            return .recorded(userID: row["user_id"])
        }
    }

    /// Drops the pending entry `id`, if it is still there; returns whether it was.
    @discardableResult
    public func discard(_ id: String) throws(StoreError) -> Bool {
        try store.write { db in
            try db.execute(sql: "DELETE FROM pending WHERE id = ?", arguments: [id])
            return db.changesCount > 0
        }
    }

    /// Drops the pending entries that expired by `now`; returns how many.
    @discardableResult
    public func dropExpiredPending(now: Date = Date()) throws(StoreError) -> Int {
        try store.write { db in
            try db.execute(sql: "DELETE FROM pending WHERE expires_at <= ?", arguments: [now.unixMilliseconds])
            let dropped = db.changesCount
            try Self.forgetOldConfirmations(db, now: now)
            return dropped
        }
    }

    private static func forgetOldConfirmations(_ db: Database, now: Date) throws {
        try db.execute(
            sql: "DELETE FROM confirmed_pending WHERE confirmed_at <= ?",
            arguments: [now.addingTimeInterval(-confirmedIDsKept).unixMilliseconds])
    }

    // MARK: Checking

    /// Whether `password` is among `userID`'s last `count` recorded passwords, and how many
    /// entries were compared. One Argon2id per distinct parameter set among those entries —
    /// normally one — however large `count` is, and one HMAC per pepper.
    public func check(_ password: [UInt8], for userID: String, count: Int) throws(StoreError) -> (reused: Bool, compared: Int) {
        let answer = try check(password, for: userID, count: count, prepare: false)
        return (answer.reused, answer.compared)
    }

    /// As `check`, and, for a password not reused while history is on, the digest recording it
    /// would store (made the user's salt first if need be) — for a reservation. The same one
    /// Argon2id as a check when the user's newest entries are under the current parameters.
    public func checkAndPrepare(
        _ password: [UInt8], for userID: String, count: Int, prepare: Bool = true
    ) throws(StoreError) -> (reused: Bool, compared: Int, prepared: PreparedDigest?) {
        try check(password, for: userID, count: count, prepare: prepare)
    }

    private func check(
        _ password: [UInt8], for userID: String, count: Int, prepare: Bool
    ) throws(StoreError) -> (reused: Bool, compared: Int, prepared: PreparedDigest?) {
        guard count > 0 else { return (false, 0, nil) }
        // Preparing needs the user's salt, so it is made now (the record would make it).
        var prepare = prepare
        if prepare { prepare = try retention() > 0 }
        if prepare { _ = try userAndSalt(userID) }
        let (salt, entries) = try store.read { db -> ([UInt8]?, [(digest: Data, parameters: String, pepper: String)]) in
            guard let user = try Row.fetchOne(db, sql: "SELECT id, salt FROM history_user WHERE user_id = ?", arguments: [userID])
            else { return (nil, []) }
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT e.digest, k.parameters, k.pepper_check FROM entry e JOIN entry_kind k ON k.id = e.kind
                    WHERE e.user = ? ORDER BY e.created_at DESC, e.id DESC LIMIT ?
                    """,
                arguments: [user["id"] as Int64, count])
            return ([UInt8](user["salt"] as Data), rows.map { ($0["digest"], $0["parameters"], $0["pepper_check"]) })
        }
        let currentText = Self.text(parameters)
        var stretchedCurrent: [UInt8]?
        if prepare, let salt {
            stretchedCurrent = Argon2.hash(password: password, salt: salt, parameters: parameters)
        }
        // A user without history still costs one hash, so the answer's time tells nothing.
        guard let salt, !entries.isEmpty else {
            if stretchedCurrent == nil {
                _ = digest(password, salt: [UInt8](repeating: 0, count: Self.saltLength), parameters: parameters, pepper: peppers.current)
            }
            return (false, 0, prepared(stretchedCurrent, salt: salt))
        }
        var reused = false
        let legacy = entries.filter { $0.parameters == Self.legacyKind }
        if !legacy.isEmpty, legacyMatches(password, userID: userID, sealed: legacy.map { ($0.digest, $0.pepper) }) {
            reused = true
        }
        for parameterText in Set(entries.map(\.parameters)) where parameterText != Self.legacyKind {
            let stretched: [UInt8]? =
                if parameterText == currentText, let stretchedCurrent { stretchedCurrent }
                else if let entryParameters = Self.parameters(parameterText) {
                    Argon2.hash(password: password, salt: salt, parameters: entryParameters)
                } else { nil }
            guard let stretched else { continue }
            var candidates: [String: [UInt8]] = [:]
            for entry in entries where entry.parameters == parameterText {
                guard let pepper = peppers.pepper(check: entry.pepper) else { continue }
                let candidate = candidates[entry.pepper] ?? HMACSHA256.authenticationCode(key: pepper.secret, message: stretched)
                candidates[entry.pepper] = candidate
                // Compare every entry, match or not: the time does not say which one matched.
                if ConstantTime.equals(candidate, [UInt8](entry.digest)) { reused = true }
            }
        }
        return (reused, entries.count, reused ? nil : prepared(stretchedCurrent, salt: salt))
    }

    private func prepared(_ stretched: [UInt8]?, salt: [UInt8]?) -> PreparedDigest? {
        guard let stretched, let salt else { return nil }
        return PreparedDigest(
            salt: salt, digest: HMACSHA256.authenticationCode(key: peppers.current.secret, message: stretched),
            parameters: Self.text(parameters), pepperCheck: peppers.current.check)
    }

    // MARK: Entries imported from authentik

    /// An entry of authentik's history: a Django hash string (its own salt inside) and its date.
    public struct LegacyEntry: Sendable {
        public var userID: String
        public var encoded: String
        public var created: Date

        public init(userID: String, encoded: String, created: Date) {
            self.userID = userID
            self.encoded = encoded
            self.created = created
        }
    }

    /// Stores `entries` (already validated, none empty or unusable) in one transaction, each
    /// sealed with AES-256-GCM under a key derived from the pepper and bound to its user, so
    /// a stolen database without the pepper holds no hash to attack. Every user touched is
    /// trimmed to the retention, so the oldest age out by date. Returns how many were stored.
    @discardableResult
    public func importLegacy(_ entries: [LegacyEntry]) throws(StoreError) -> Int {
        let pepper = peppers.current
        let key = Self.legacyKey(pepper)
        let sealed = entries.map { entry -> Data in
            let nonce = SecureRandom.bytes(AES256GCM.nonceLength)
            return Data(nonce + AES256GCM.seal(
                Array(entry.encoded.utf8), key: key, nonce: nonce, associatedData: Array(entry.userID.utf8)))
        }
        let salts = entries.map { _ in SecureRandom.bytes(Self.saltLength) }
        return try store.write { db in
            let retention = try Self.retention(db)
            let kind = try Self.kind(db, parameters: Self.legacyKind, pepperCheck: pepper.check)
            var users: Set<Int64> = []
            for (index, entry) in entries.enumerated() {
                try db.execute(
                    sql: "INSERT INTO history_user (user_id, salt) VALUES (?, ?) ON CONFLICT (user_id) DO NOTHING",
                    arguments: [entry.userID, Data(salts[index])])
                guard let user = try Int64.fetchOne(db, sql: "SELECT id FROM history_user WHERE user_id = ?", arguments: [entry.userID])
                else { throw DatabaseError(message: "the history user just written is not there") }
                try db.execute(
                    sql: "INSERT INTO entry (user, kind, digest, created_at) VALUES (?, ?, ?, ?)",
                    arguments: [user, kind, sealed[index], entry.created.unixMilliseconds])
                users.insert(user)
            }
            for user in users { try Self.trim(db, user: user, to: retention) }
            return entries.count
        }
    }

    /// Whether `password` matches any of the sealed legacy entries: each opened and verified
    /// as its own hash, all of them (no early exit), in parallel across the cores.
    private func legacyMatches(_ password: [UInt8], userID: String, sealed: [(digest: Data, pepper: String)]) -> Bool {
        let encoded: [String?] = sealed.map { entry in
            guard let pepper = peppers.pepper(check: entry.pepper) else { return nil }
            let bytes = [UInt8](entry.digest)
            guard bytes.count > AES256GCM.nonceLength,
                  let opened = AES256GCM.open(
                    Array(bytes[AES256GCM.nonceLength...]), key: Self.legacyKey(pepper),
                    nonce: Array(bytes[..<AES256GCM.nonceLength]), associatedData: Array(userID.utf8))
            else { return nil }
            return String(decoding: opened, as: UTF8.self)
        }
        let matched = UnsafeMutableBufferPointer<Bool>.allocate(capacity: encoded.count)
        matched.initialize(repeating: false)
        defer { matched.deallocate() }
        nonisolated(unsafe) let results = matched
        DispatchQueue.concurrentPerform(iterations: encoded.count) { index in
            if let hash = encoded[index] { results[index] = PasswordHashing.matches(password, encoded: hash) }
        }
        return matched.contains(true)
    }

    private static func legacyKey(_ pepper: HistoryPepper) -> [UInt8] {
        HMACSHA256.authenticationCode(key: pepper.secret, message: Array("postern history legacy v1".utf8))
    }

    // MARK: Users and figures

    /// Forgets everything about `userID` (entries, pending ones, salt); returns the entries removed.
    @discardableResult
    public func forget(_ userID: String) throws(StoreError) -> Int {
        try store.write { db in
            guard let user = try Int64.fetchOne(db, sql: "SELECT id FROM history_user WHERE user_id = ?", arguments: [userID])
            else { return 0 }
            let removed = try Int.fetchOne(db, sql: "SELECT count(*) FROM entry WHERE user = ?", arguments: [user]) ?? 0
            try db.execute(sql: "DELETE FROM history_user WHERE id = ?", arguments: [user])  // cascades
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
        public var legacyEntries: Int
    }

    public func stats(now: Date = Date()) throws(StoreError) -> Stats {
        let check = peppers.current.check
        return try store.read { db in
            let kinds = try Row.fetchAll(
                db,
                sql: """
                    SELECT k.parameters, k.pepper_check, count(e.id) AS entries
                    FROM entry_kind k LEFT JOIN entry e ON e.kind = k.id GROUP BY k.id
                    """)
            var sets: [String: Int] = [:]
            var other = 0
            var legacy = 0
            for kind in kinds {
                let entries: Int = kind["entries"]
                guard entries > 0 else { continue }
                if (kind["parameters"] as String) == Self.legacyKind { legacy += entries }
                sets[kind["parameters"], default: 0] += entries
                if (kind["pepper_check"] as String) != check { other += entries }
            }
            let pages = try Int.fetchOne(db, sql: "SELECT page_count - freelist_count FROM pragma_page_count, pragma_freelist_count") ?? 0
            let pageSize = try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 0
            return Stats(
                retention: try Self.retention(db),
                users: try Int.fetchOne(db, sql: "SELECT count(DISTINCT user) FROM entry") ?? 0,
                entries: try Int.fetchOne(db, sql: "SELECT count(*) FROM entry") ?? 0,
                entriesOtherPepper: other,
                parameterSets: sets.sorted { $0.key < $1.key }.map { ($0.key, $0.value) },
                databaseBytes: pages * pageSize,
                pending: try Int.fetchOne(
                    db, sql: "SELECT count(*) FROM pending WHERE expires_at > ?", arguments: [now.unixMilliseconds]) ?? 0,
                legacyEntries: legacy)
        }
    }

    // MARK: Pieces

    /// The user's row id and salt, made (a random salt) the first time.
    private func userAndSalt(_ userID: String) throws(StoreError) -> (Int64, [UInt8]) {
        let fresh = SecureRandom.bytes(Self.saltLength)
        return try store.write { db in
            try db.execute(
                sql: "INSERT INTO history_user (user_id, salt) VALUES (?, ?) ON CONFLICT (user_id) DO NOTHING",
                arguments: [userID, Data(fresh)])
            guard let row = try Row.fetchOne(db, sql: "SELECT id, salt FROM history_user WHERE user_id = ?", arguments: [userID])
            else { throw DatabaseError(message: "the history user just written is not there") }
            return (row["id"] as Int64, [UInt8](row["salt"] as Data))
        }
    }

    func digest(_ password: [UInt8], salt: [UInt8], parameters: Argon2.Parameters, pepper: HistoryPepper) -> [UInt8] {
        guard let stretched = Argon2.hash(password: password, salt: salt, parameters: parameters) else {
            preconditionFailure("libargon2 refused the history parameters \(parameters)")
        }
        return HMACSHA256.authenticationCode(key: pepper.secret, message: stretched)
    }

    private static func retention(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT value FROM history_setting WHERE key = 'retention'") ?? 0
    }

    /// The id of the entry kind (parameters, pepper), made the first time.
    private static func kind(_ db: Database, parameters: String, pepperCheck: String) throws -> Int64 {
        try db.execute(
            sql: "INSERT INTO entry_kind (parameters, pepper_check) VALUES (?, ?) ON CONFLICT DO NOTHING",
            arguments: [parameters, pepperCheck])
        return try Int64.fetchOne(
            db, sql: "SELECT id FROM entry_kind WHERE parameters = ? AND pepper_check = ?", arguments: [parameters, pepperCheck]) ?? 0
    }

    /// Keeps `user`'s newest `retention` entries.
    private static func trim(_ db: Database, user: Int64, to retention: Int) throws {
        try db.execute(
            sql: """
                DELETE FROM entry WHERE user = ? AND id NOT IN (
                    SELECT id FROM entry WHERE user = ? ORDER BY created_at DESC, id DESC LIMIT ?)
                """,
            arguments: [user, user, retention])
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
