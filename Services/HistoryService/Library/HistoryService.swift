import Dispatch
import Foundation
import Logging
import PosternCrypto
import PosternDaemon
import PosternHashing
import PosternProtocol
import PosternStore
import PosternRPC
import PosternWire

/// `postern.history.v1.History`: the RPCs around `PasswordHistory`. Check and Record hash, so
/// they run on the hashing pool (bounded: past its queue RESOURCE_EXHAUSTED); the store-only
/// methods run on a dispatch thread, so neither an event loop nor Swift's cooperative pool
/// waits on SQLite. Passwords never reach a log line or an error message.
public struct HistoryService: RPCService {
    public static let serviceName = Postern.History.V1.History.serviceName
    /// The largest N a check may ask for, and the largest retention.
    public static let maximumCount: UInt32 = 1000
    static let maximumUserIDBytes = 255
    /// Entries one ImportLegacy call may carry (a 1 MiB frame holds them).
    public static let maximumImportEntries = 1000

    private let history: PasswordHistory
    private let pool: HashingPool
    /// How long a pending entry waits for its Confirm.
    private let pendingExpiry: Duration
    /// The digests checks prepared, for the records that follow them.
    private let reservations: HistoryReservations
    private let logger: Logger

    public init(
        history: PasswordHistory, pool: HashingPool, pendingExpiry: Duration,
        reservationExpiry: Duration = .seconds(300), logger: Logger
    ) {
        self.history = history
        self.pool = pool
        self.pendingExpiry = pendingExpiry
        reservations = HistoryReservations(lifetime: reservationExpiry)
        self.logger = logger
    }

    public func registerMethods(with router: inout RPCRouter) {
        router.register(Postern.History.V1.History.check) { (request: Postern.History.V1.CheckRequest, _) in .later {
            try await check(request)
        } }
        router.register(Postern.History.V1.History.record) { (request: Postern.History.V1.RecordRequest, _) in .later {
            try await record(request)
        } }
        router.register(Postern.History.V1.History.confirm) { (request: Postern.History.V1.ConfirmRequest, _) in .later {
            try await confirm(request)
        } }
        router.register(Postern.History.V1.History.discard) { (request: Postern.History.V1.DiscardRequest, _) in .later {
            try await discard(request)
        } }
        router.register(Postern.History.V1.History.setRetention) { (request: Postern.History.V1.SetRetentionRequest, _) in .later {
            try await setRetention(request)
        } }
        router.register(Postern.History.V1.History.forgetUser) { (request: Postern.History.V1.ForgetUserRequest, _) in .later {
            try await forgetUser(request)
        } }
        router.register(Postern.History.V1.History.importLegacy) { (request: Postern.History.V1.ImportLegacyRequest, _) in .later {
            try await importLegacy(request)
        } }
        router.register(Postern.History.V1.History.stats) { (_: Postern.History.V1.StatsRequest, _) in .later {
            try await stats()
        } }
    }

    func check(_ request: Postern.History.V1.CheckRequest) async throws(RPCError) -> Postern.History.V1.CheckResponse {
        let userID = try Self.userID(request.userID)
        let password = try PasswordInput.bytes(request.password, field: "password")
        let count = try Self.count(request.count, field: "count", allowZero: false)
        let history = self.history
        let reserve = request.reserve
        let answer = try await hashed { () throws(StoreError) in
            try history.checkAndPrepare(password, for: userID, count: count, prepare: reserve)
        }
        var reservation = ""
        if let prepared = answer.prepared {
            reservation = reservations.reserve(prepared, userID: userID, password: password)
        }
        logger.info(
            "history_checked",
            metadata: [
                "user_id": "\(userID)", "count": "\(count)", "compared": "\(answer.compared)", "reused": "\(answer.reused)",
                "reserved": "\(!reservation.isEmpty)",
            ])
        return Postern.History.V1.CheckResponse(reused: answer.reused, compared: UInt32(answer.compared), reservation: reservation)
    }

    func record(_ request: Postern.History.V1.RecordRequest) async throws(RPCError) -> Postern.History.V1.RecordResponse {
        let userID = try Self.userID(request.userID)
        let password = try PasswordInput.bytes(request.password, field: "password")
        let prepared = try reserved(request.reservation, userID: userID, password: password)
        let history = self.history
        if request.pending {
            let expiry = pendingExpiry
            let (recorded, used) = try await stored(password, prepared) { source throws(StoreError) in
                try history.recordPending(source, for: userID, expiry: expiry, now: Date())
            }
            if let id = recorded.id {
                logger.info("history_pending", metadata: ["user_id": "\(userID)", "pending_id": "\(id)", "reservation_used": "\(used)"])
            }
            return Postern.History.V1.RecordResponse(
                recorded: recorded.id != nil, retention: UInt32(recorded.retention), pendingID: recorded.id ?? "",
                reservationUsed: used && recorded.id != nil)
        }
        let (recorded, used) = try await stored(password, prepared) { source throws(StoreError) in
            try history.record(source, for: userID, now: Date())
        }
        if recorded.recorded {
            logger.notice(
                "history_recorded", metadata: ["user_id": "\(userID)", "retention": "\(recorded.retention)", "reservation_used": "\(used)"])
        }
        return Postern.History.V1.RecordResponse(
            recorded: recorded.recorded, retention: UInt32(recorded.retention), reservationUsed: used && recorded.recorded)
    }

    /// Stores an entry with `body`: from the reservation's digest when there is one and it still
    /// fits the user's salt (no hash: a dispatch thread, not the hashing pool), else from the
    /// password, hashed on the pool. Also whether the reservation was used.
    private func stored<T: Sendable>(
        _ password: [UInt8], _ prepared: PasswordHistory.PreparedDigest?,
        _ body: @escaping @Sendable (PasswordHistory.EntrySource) throws(StoreError) -> T?
    ) async throws(RPCError) -> (T, reservationUsed: Bool) {
        if let prepared, let done = try await offloaded({ () throws(StoreError) in try body(.prepared(prepared)) }) {
            return (done, true)
        }
        let hashedOutcome = try await hashed { () throws(StoreError) in try body(.password(password)) }
        // A password always makes its digest, so `body` gives an outcome for it.
        guard let hashedOutcome else { throw RPCError(code: .internal, message: "the history entry was not made") }
        return (hashedOutcome, false)
    }

    /// The digest of the reservation `token` (taken out, so never used twice) when it is for
    /// this user and password; nil, and a log line saying why, when not; nil for none.
    private func reserved(_ token: String, userID: String, password: [UInt8]) throws(RPCError) -> PasswordHistory.PreparedDigest? {
        guard !token.isEmpty else { return nil }
        guard Hex.isLowercase(token, digits: 2 * HistoryReservations.tokenBytes) else {
            throw RPCError(code: .invalidArgument, message: "reservation is not one Check gave (32 hex digits)")
        }
        switch reservations.take(token, userID: userID, password: password) {
        case .success(let prepared):
            return prepared
        case .failure(let miss):
            logger.notice("history_reservation_unused", metadata: ["user_id": "\(userID)", "reason": "\(miss.rawValue)"])
            return nil
        }
    }

    func confirm(_ request: Postern.History.V1.ConfirmRequest) async throws(RPCError) -> Postern.History.V1.ConfirmResponse {
        let id = try Self.pendingID(request.pendingID)
        let history = self.history
        let outcome = try await offloaded { () throws(StoreError) in try history.confirm(id) }
        switch outcome {
        case .recorded(let userID):
            logger.notice("history_recorded", metadata: ["user_id": "\(userID)", "pending_id": "\(id)"])
        case .recordedBefore:
            logger.notice("history_confirm_repeated", metadata: ["pending_id": "\(id)"])
        case .missing:
            logger.notice("history_confirm_missed", metadata: ["pending_id": "\(id)"])
        }
        return Postern.History.V1.ConfirmResponse(confirmed: outcome != .missing)
    }

    func discard(_ request: Postern.History.V1.DiscardRequest) async throws(RPCError) -> Postern.History.V1.DiscardResponse {
        let id = try Self.pendingID(request.pendingID)
        let history = self.history
        if try await offloaded({ () throws(StoreError) in try history.discard(id) }) {
            logger.notice("history_pending_discarded", metadata: ["pending_id": "\(id)"])
        }
        return Postern.History.V1.DiscardResponse()
    }

    func setRetention(_ request: Postern.History.V1.SetRetentionRequest) async throws(RPCError) -> Postern.History.V1.SetRetentionResponse {
        let count = try Self.count(request.count, field: "count", allowZero: true)
        let history = self.history
        let (previous, removed) = try await offloaded { () throws(StoreError) in
            (try history.retention(), try history.setRetention(count))
        }
        // Setting the retention it already is (postern-policy does every history.retry_interval)
        // changes nothing, and is not an event.
        if previous != count {
            logger.notice(
                "history_retention_set", metadata: ["retention": "\(count)", "previous": "\(previous)", "removed": "\(removed)"])
        }
        return Postern.History.V1.SetRetentionResponse(previous: UInt32(clamping: previous), removed: UInt64(removed))
    }

    func forgetUser(_ request: Postern.History.V1.ForgetUserRequest) async throws(RPCError) -> Postern.History.V1.ForgetUserResponse {
        let userID = try Self.userID(request.userID)
        let history = self.history
        let removed = try await offloaded { () throws(StoreError) in try history.forget(userID) }
        logger.notice("history_user_forgotten", metadata: ["user_id": "\(userID)", "removed": "\(removed)"])
        return Postern.History.V1.ForgetUserResponse(removed: UInt64(removed))
    }

    func importLegacy(_ request: Postern.History.V1.ImportLegacyRequest) async throws(RPCError) -> Postern.History.V1.ImportLegacyResponse {
        guard (1...Self.maximumImportEntries).contains(request.entries.count) else {
            throw RPCError(
                code: .invalidArgument, message: "give 1…\(Self.maximumImportEntries) entries, not \(request.entries.count)")
        }
        let latest = Date().addingTimeInterval(86400).unixMilliseconds
        var entries: [PasswordHistory.LegacyEntry] = []
        var skipped = 0
        for (index, entry) in request.entries.enumerated() {
            let userID: String
            do {
                userID = try Self.userID(entry.userID)
            } catch {
                throw RPCError(code: .invalidArgument, message: "entries[\(index)]: \(error.message)")
            }
            guard entry.createdUnixMs > 0, entry.createdUnixMs <= latest else {
                throw RPCError(
                    code: .invalidArgument, message: "entries[\(index)]: created_unix_ms is missing or in the future")
            }
            // authentik stores these and never matches them.
            if entry.encoded.isEmpty || entry.encoded.hasPrefix("!") {
                skipped += 1
                continue
            }
            do {
                try PasswordHashing.validateForImport(entry.encoded)
            } catch {
                throw RPCError(code: .invalidArgument, message: "entries[\(index)]: \(error.message)")
            }
            entries.append(.init(
                userID: userID, encoded: entry.encoded,
                created: Date(timeIntervalSince1970: Double(entry.createdUnixMs) / 1000)))
        }
        let history = self.history
        let retention = try await offloaded { () throws(StoreError) in try history.retention() }
        guard retention > 0 else {
            throw RPCError(code: .failedPrecondition, message: "history is off (retention 0); set a retention before importing")
        }
        if request.validateOnly || entries.isEmpty {
            return Postern.History.V1.ImportLegacyResponse(imported: request.validateOnly ? UInt64(entries.count) : 0, skipped: UInt64(skipped))
        }
        let stored = entries
        let imported = try await offloaded { () throws(StoreError) in try history.importLegacy(stored) }
        logger.notice("history_legacy_imported", metadata: ["imported": "\(imported)", "skipped": "\(skipped)"])
        return Postern.History.V1.ImportLegacyResponse(imported: UInt64(imported), skipped: UInt64(skipped))
    }

    func stats() async throws(RPCError) -> Postern.History.V1.StatsResponse {
        let history = self.history
        let stats = try await offloaded { () throws(StoreError) in try history.stats() }
        return Postern.History.V1.StatsResponse(
            retention: UInt32(clamping: stats.retention), users: UInt64(stats.users), entries: UInt64(stats.entries),
            entriesOtherPepper: UInt64(stats.entriesOtherPepper),
            parameterSets: stats.parameterSets.map { .init(parameters: $0.parameters, entries: UInt64($0.entries)) },
            databaseBytes: UInt64(stats.databaseBytes), pending: UInt64(stats.pending), legacyEntries: UInt64(stats.legacyEntries))
    }

    /// Runs `body`, which hashes, on the hashing pool.
    private func hashed<T: Sendable>(_ body: @escaping @Sendable () throws(StoreError) -> T) async throws(RPCError) -> T {
        let result = try await pool.run { Result { () throws(StoreError) in try body() } }
        return try storeCallNow(logger) { () throws(StoreError) in try result.get() }
    }

    /// Runs `body`, which only reads or writes the store, on a dispatch thread.
    private func offloaded<T: Sendable>(_ body: @escaping @Sendable () throws(StoreError) -> T) async throws(RPCError) -> T {
        let result: Result<T, StoreError> = await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async {
                continuation.resume(returning: Result { () throws(StoreError) in try body() })
            }
        }
        return try storeCallNow(logger) { () throws(StoreError) in try result.get() }
    }

    static func userID(_ value: String) throws(RPCError) -> String {
        guard !value.isEmpty else { throw RPCError(code: .invalidArgument, message: "user_id is missing") }
        guard value.utf8.count <= maximumUserIDBytes else {
            throw RPCError(code: .invalidArgument, message: "user_id is longer than \(maximumUserIDBytes) bytes")
        }
        return value
    }

    /// A pending id as Record gives them: 32 lowercase hex digits.
    static func pendingID(_ value: String) throws(RPCError) -> String {
        guard Hex.isLowercase(value, digits: 32) else {
            throw RPCError(code: .invalidArgument, message: "pending_id is not one Record gave (32 hex digits)")
        }
        return value
    }

    static func count(_ value: UInt32, field: String, allowZero: Bool) throws(RPCError) -> Int {
        guard value <= maximumCount, allowZero || value > 0 else {
            throw RPCError(code: .invalidArgument, message: "\(field) must be \(allowZero ? 0 : 1)…\(maximumCount), not \(value)")
        }
        return Int(value)
    }
}
