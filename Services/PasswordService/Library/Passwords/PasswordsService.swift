import Foundation
import Logging
import PosternDaemon
import PosternHashing
import PosternKerberos
import PosternLDAP
import PosternProtocol
import PosternStore
import PosternRPC
import PosternWire

/// `postern.password.v1.Passwords`: an admin sets a user's password (class `admin`); a user,
/// through the IdP, changes their own with the current one (class `verify`). Hashing runs on
/// the hashing pool; passwords never reach a log line or an error message.
public struct PasswordsService: RPCService {
    public static let serviceName = Postern.Password.V1.Passwords.serviceName

    private let store: PasswordStore
    private let hashing: PasswordHashing
    private let pool: HashingPool
    private let verifier: PasswordVerifier
    private let history: HistoryRecordPath
    /// The LDAP and Kerberos sources, for password write-back (docs/ldap.md, docs/kerberos.md).
    private let directory: LDAPSources?
    private let realms: KerberosSources?
    private let logger: Logger

    /// `history` is postern-history's client (`history.socket`); nil records nothing.
    init(
        store: PasswordStore, hashing: PasswordHashing, pool: HashingPool, history: PeerClient? = nil,
        directory: LDAPSources? = nil, realms: KerberosSources? = nil, pauses: DiagnosticPauses = .init(), logger: Logger
    ) {
        self.store = store
        self.directory = directory
        self.realms = realms
        self.hashing = hashing
        self.pool = pool
        self.logger = logger
        self.verifier = PasswordVerifier(store: store, hashing: hashing, pool: pool, logger: logger)
        self.history = HistoryRecordPath(client: history, store: store, pauses: pauses, logger: logger)
    }

    public func registerMethods(with router: inout RPCRouter) {
        router.register(Postern.Password.V1.Passwords.set) { (request: Postern.Password.V1.SetPasswordRequest, _) in .later {
            try await set(request)
        } }
        router.register(Postern.Password.V1.Passwords.change) { (request: Postern.Password.V1.ChangePasswordRequest, _) in .later {
            try await change(request)
        } }
        router.register(Postern.Password.V1.Passwords.requireChange) { (request: Postern.Password.V1.RequireChangeRequest, _) in .later {
            try await requireChange(request)
        } }
    }

    func set(_ request: Postern.Password.V1.SetPasswordRequest) async throws(RPCError) -> Postern.Password.V1.SetPasswordResponse {
        let password = try PasswordInput.bytes(request.password, field: "password")
        let reservation = try HistoryRecordPath.reservation(request.historyReservation)
        let user = try await lookUp(id: request.userID, username: request.username)
        guard let user else { throw RPCError(code: .notFound, message: "no such user") }
        guard user.type != .serviceAccount else {
            throw RPCError(
                code: .failedPrecondition, message: "a service account has no password; it signs in with an app password")
        }
        let changed = try await storeNewPassword(
            password, text: request.password, reservation: reservation, for: user, mustChange: request.mustChange,
            writeBack: true)
        logger.notice("password_set", metadata: ["user_id": "\(user.id)", "by": "admin", "must_change": "\(request.mustChange)"])
        return Postern.Password.V1.SetPasswordResponse(passwordChangedUnixMs: changed.unixMilliseconds)
    }

    /// After a bind to `source` accepted `password` (its `update_internal_password`): the
    /// user's Postern password becomes that one, through the same path as Set (history
    /// recorded), unless it verifies already — so logging in again writes nothing. Nothing is
    /// written back to a directory: the password came from one. A failure here is logged and
    /// does not fail the login the directory accepted.
    func updateFromDirectory(_ password: [UInt8], userID: String, source: String, backend: String = "ldap") async {
        do throws(RPCError) {
            guard let user = try await storeCall({ () throws(StoreError) in try await store.user(id: userID) }) else { return }
            if !user.passwordHash.isEmpty, try await verifier.verify(password, for: LoginUser(user)) != nil { return }
            _ = try await storeNewPassword(
                password, text: String(decoding: password, as: UTF8.self), reservation: "", for: user, mustChange: false,
                writeBack: false)
            logger.notice("password_set", metadata: ["user_id": "\(user.id)", "by": "\(backend)", "source": "\(source)"])
        } catch {
            logger.warning(
                "\(backend)_internal_password_not_updated",
                metadata: ["user_id": "\(userID)", "source": "\(source)", "reason": "\(error.message)"])
        }
    }

    /// The set path: the new hash and its pending history entry, the directory's copy when
    /// `writeBack` and the user has a DN, then the store. An admin's set wins over whatever is
    /// stored, even a change made meanwhile.
    private func storeNewPassword(
        _ password: [UInt8], text: String, reservation: String, for user: StoredUser, mustChange: Bool, writeBack: Bool
    ) async throws(RPCError) -> Date {
        let (encoded, pending) = try await hashAndRecordPending(password, text, reservation, for: user.id)
        if writeBack { try await self.writeBack(password, for: user, pending: pending) }
        let changed = Date()
        let stored: StoredUser?
        do {
            stored = try await storeCall { () throws(StoreError) in
                try await store.modify(id: user.id, historyConfirmation: pending) { user in
                    user.passwordHash = encoded
                    user.passwordChangedAt = changed
                    user.passwordMustChange = mustChange
                    user.updatedAt = changed
                }
            }
        } catch {
            if let pending { await history.discard(pending) }
            throw error
        }
        guard stored != nil else {
            if let pending { await history.discard(pending) }
            throw RPCError(code: .notFound, message: "no such user")
        }
        if let pending { await history.confirm(pending, for: user.id) }
        return changed
    }

    /// Sets the password in the write-back LDAP directory when the user has a DN, then in the
    /// write-back Kerberos realm when the user has a principal there — before Postern's store:
    /// if one refuses (a password policy, say), the change fails with its message, the pending
    /// history entry is discarded and Postern's password stays. (A directory that accepted
    /// before a realm refused keeps the new password: docs/kerberos.md.)
    private func writeBack(_ password: [UInt8], for user: StoredUser, pending: String?) async throws(RPCError) {
        do {
            if let dn = user.ldapDN, let source = directory?.writeback {
                try check(try await source.modifyPassword(dn: dn, to: password), user: user, source: source.settings.name, kind: "LDAP") {
                    ($0.kind.rawValue, $0.message, [.refused, .invalidCredentials, .badRequest].contains($0.kind))
                }
            }
            if let principal = user.kerberosPrincipal, let source = realms?.writeback(for: principal) {
                try check(try await source.setPassword(principal: principal, to: password), user: user, source: source.settings.name, kind: "Kerberos") {
                    ($0.kind.rawValue, $0.message, ![.unreachable, .timeout].contains($0.kind))
                }
            }
        } catch {
            if let pending { await history.discard(pending) }
            throw error
        }
    }

    /// A write-back's failure as the call's answer: FAILED_PRECONDITION with the server's reason
    /// when it refused, UNAVAILABLE when it could not be reached. `describe` gives the failure's
    /// reason, text, and whether it is a refusal.
    private func check<E: Error>(
        _ outcome: Result<Void, E>, user: StoredUser, source: String, kind: String, _ describe: (E) -> (String, String, Bool)
    ) throws(RPCError) {
        guard case .failure(let error) = outcome else { return }
        let (reason, message, refusal) = describe(error)
        logger.warning(
            "\(kind.lowercased())_writeback_failed",
            metadata: ["source": "\(source)", "user_id": "\(user.id)", "reason": "\(reason)", "detail": "\(message)"])
        if refusal {
            throw RPCError(
                code: .failedPrecondition,
                message: "the \(kind == "LDAP" ? "directory" : "realm") (\(kind) source \(source)) refused the new password: \(message); nothing was changed")
        }
        throw RPCError(
            code: .unavailable,
            message: "the \(kind == "LDAP" ? "directory" : "realm") (\(kind) source \(source)) could not be reached to change the password (\(reason)); nothing was changed")
    }

    func change(_ request: Postern.Password.V1.ChangePasswordRequest) async throws(RPCError) -> Postern.Password.V1.ChangePasswordResponse {
        let current = try PasswordInput.bytes(request.currentPassword, field: "current_password")
        let new = try PasswordInput.bytes(request.newPassword, field: "new_password")
        let reservation = try HistoryRecordPath.reservation(request.historyReservation)
        let user = try await lookUp(id: request.userID, username: request.username)
        // Unknown, inactive and wrong all look alike, after the same work.
        guard let verified = try await verifier.verify(current, for: user), let user else {
            logger.notice("password_change_refused", metadata: ["user_id": "\(user?.id ?? "(unknown)")"])
            throw RPCError(code: .unauthenticated, message: "the user or current password is not right")
        }
        let (encoded, pending) = try await hashAndRecordPending(new, request.newPassword, reservation, for: user.id)
        try await writeBack(new, for: user, pending: pending)
        // Only over the hash that just verified: a change made meanwhile is not overwritten.
        let changed: Date
        do {
            changed = try await replace(user.id, expected: verified, with: encoded, historyConfirmation: pending)
        } catch {
            if let pending { await history.discard(pending) }
            throw error
        }
        if let pending { await history.confirm(pending, for: user.id) }
        logger.notice("password_set", metadata: ["user_id": "\(user.id)", "by": "user"])
        return Postern.Password.V1.ChangePasswordResponse(passwordChangedUnixMs: changed.unixMilliseconds)
    }

    /// Marks the user's password as one to change at the next login; the hash stays.
    func requireChange(_ request: Postern.Password.V1.RequireChangeRequest) async throws(RPCError) -> Postern.Password.V1.RequireChangeResponse {
        guard let user = try await lookUp(id: request.userID, username: request.username) else {
            throw RPCError(code: .notFound, message: "no such user")
        }
        guard user.type != .serviceAccount else {
            throw RPCError(code: .failedPrecondition, message: "a service account has no password to change")
        }
        guard !user.passwordMustChange else { return .init(marked: false) }
        let now = Date()
        let stored = try await storeCall { () throws(StoreError) in
            try await store.modify(id: user.id) { user in
                user.passwordMustChange = true
                user.updatedAt = now
            }
        }
        guard stored != nil else { throw RPCError(code: .notFound, message: "no such user") }
        logger.notice("password_must_change", metadata: ["user_id": "\(user.id)"])
        return .init(marked: true)
    }

    /// The new password's hash, and its pending history entry (the record path's step 1) —
    /// both at once: each is a slow hash, in two processes (this daemon's hashing pool and
    /// postern-history), so a change waits for one of them, not for the two in turn. If either
    /// fails the change fails, and a pending entry already made is discarded. With a
    /// reservation that fits, postern-history's part is no slow hash at all.
    private func hashAndRecordPending(
        _ password: [UInt8], _ text: String, _ reservation: String, for userID: String
    ) async throws(RPCError) -> (encoded: String, pending: String?) {
        async let hashed = hash(password)
        // A throw here leaves the scope, which cancels the hash (dropped if no thread has taken
        // it yet) and waits for it.
        let pending = try await history.recordPending(text, reservation: reservation, for: userID)
        switch await hashed {
        case .success(let encoded):
            return (encoded, pending)
        case .failure(let error):
            if let pending { await history.discard(pending) }
            throw error
        }
    }

    /// `password` hashed under the policy on the hashing pool.
    private func hash(_ password: [UInt8]) async -> Result<String, RPCError> {
        let hashing = self.hashing
        do {
            return .success(try await pool.run { hashing.hash(password) })
        } catch {
            return .failure(error)
        }
    }

    /// The user named by exactly one of `id` and `username`, or nil.
    private func lookUp(id: String, username: String) async throws(RPCError) -> StoredUser? {
        switch (id.isEmpty, username.isEmpty) {
        case (false, true): return try await storeCall { () throws(StoreError) in try await store.user(id: id) }
        case (true, false): return try await storeCall { () throws(StoreError) in try await store.user(username: username) }
        default: throw RPCError(code: .invalidArgument, message: "give exactly one of user_id and username")
        }
    }

    /// Stores `encoded` as the user's new password unless another change came first.
    private func replace(
        _ id: String, expected: String, with encoded: String, historyConfirmation: String?
    ) async throws(RPCError) -> Date {
        let now = Date()
        let stored = try await storeCall { () throws(StoreError) in
            try await store.replacePasswordHash(
                id: id, expected: expected, with: encoded, changedAt: now, now: now, historyConfirmation: historyConfirmation)
        }
        guard stored != nil else {
            throw RPCError(code: .aborted, message: "the user or their password changed meanwhile; try again")
        }
        return now
    }

    private func storeCall<T>(_ operation: () async throws(StoreError) -> T) async throws(RPCError) -> T {
        try await PosternStore.storeCall(logger, operation)
    }
}
