import Foundation
import Logging
import PosternDaemon
import PosternProtocol
import PosternStore
import PosternRPC
import PosternWire

/// `postern.password.v1.Authentication/Authenticate` (class `verify`): one submission to a
/// password stage, tried through the stage's backends in order, as authentik's are, with failed
/// attempts counted per (stage, flow session) in the store (authentik's session counter), so every
/// daemon on one store agrees. docs/authenticate.md.
public struct AuthenticationService: RPCService {
    public static let serviceName = Postern.Password.V1.Authentication.serviceName
    /// authentik's message for every refusal.
    static let invalidPassword = "Invalid password"

    private let store: PasswordStore
    private let backends: [Postern.Password.V1.Backend: any AuthenticationBackend]
    private let appPasswords: AppPasswordBackend
    private let failedAttemptsExpiry: TimeInterval
    private let unrecorded: UnrecordedFailures
    private let logger: Logger

    init(
        store: PasswordStore, verifier: PasswordVerifier, appPasswordKey: AppPasswordKey?, directories: [any AuthenticationBackend],
        failedAttemptsExpiry: Duration, logger: Logger
    ) {
        self.store = store
        appPasswords = AppPasswordBackend(key: appPasswordKey)
        let all: [any AuthenticationBackend] = [InternalBackend(verifier: verifier), appPasswords] + directories
        self.backends = Dictionary(uniqueKeysWithValues: all.map { ($0.kind, $0) })
        self.failedAttemptsExpiry = failedAttemptsExpiry.timeInterval
        self.unrecorded = UnrecordedFailures(logger: logger)
        self.logger = logger
    }

    public func registerMethods(with router: inout RPCRouter) {
        router.register(Postern.Password.V1.Authentication.authenticate) { (request: Postern.Password.V1.AuthenticateRequest, _) in
            try begin(request)
        }
    }

    /// Every field's length is checked before any work, so that an absurd one costs nothing
    /// and reaches no log line: the limits are those of the stored values (docs/authenticate.md).
    static func bounded(_ request: Postern.Password.V1.AuthenticateRequest) throws(RPCError) {
        // Byte counts are O(1); characters are counted only under a byte bound.
        func within(_ text: String, characters: Int, bytes: Int) -> Bool {
            text.utf8.count <= characters || (text.utf8.count <= bytes && text.count <= characters)
        }
        let username = (characters: UserFieldRules.maximumUsernameCharacters, bytes: UserFieldRules.maximumUsernameBytes)
        guard within(request.username, characters: username.characters, bytes: username.bytes) else {
            throw RPCError(
                code: .invalidArgument,
                message: "username is longer than \(username.characters) characters or \(username.bytes) bytes")
        }
        guard request.userID.utf8.count <= UserFieldRules.maximumIDBytes else {
            throw RPCError(code: .invalidArgument, message: "user_id is longer than \(UserFieldRules.maximumIDBytes) bytes")
        }
        guard within(request.stage, characters: StageRules.maximumNameCharacters, bytes: StageRules.maximumNameBytes) else {
            throw RPCError(
                code: .invalidArgument,
                message: "stage is longer than \(StageRules.maximumNameCharacters) characters or \(StageRules.maximumNameBytes) bytes")
        }
        guard request.clientAddress.utf8.count <= maximumClientAddressBytes else {
            throw RPCError(code: .invalidArgument, message: "client_address is longer than \(maximumClientAddressBytes) bytes")
        }
    }

    /// An IPv6 address with a zone and a port fits in 64 bytes.
    static let maximumClientAddressBytes = 64

    /// The part of a login that never waits, run where the call arrived: checking the request,
    /// the login's store read, and the stage's backends in order for as long as each can decide
    /// at once (an app password). A success there is the answer; anything else — a backend
    /// that must hash, a failure to count, a counter to clear — is left to `rest`.
    func begin(_ request: Postern.Password.V1.AuthenticateRequest) throws(RPCError) -> StagedAnswer<Postern.Password.V1.AuthenticateResponse> {
        guard !request.flowSession.isEmpty, request.flowSession.utf8.count <= 255 else {
            throw RPCError(code: .invalidArgument, message: "flow_session must be 1…255 bytes")
        }
        try Self.bounded(request)
        let secret = try PasswordInput.bytes(request.secret, field: "secret")
        guard request.userID.isEmpty != request.username.isEmpty else {
            throw RPCError(code: .invalidArgument, message: "give exactly one of user_id and username")
        }
        let context = try storeCallNow(logger) { () throws(StoreError) in
            try store.loginContext(
                stage: request.stage, userID: request.userID.isEmpty ? nil : request.userID,
                username: request.username.isEmpty ? nil : request.username, flowSession: request.flowSession,
                appPasswordIndex: appPasswords.index(of: secret), now: Date())
        }
        guard let stage = context.stage else {
            throw RPCError(code: .notFound, message: "no stage named \"\(RPCRouter.printable(request.stage))\"")
        }
        // A stage only ever names built backends (StageRules); one missing here is skipped,
        // as authentik skips a backend it cannot import.
        let chain = StageRules.backends(stage.backends).compactMap { backends[$0] }
        var next = 0
        // Failures the store could not record are written before any success (fail closed).
        let mustRecordFirst = unrecorded.mustRecordFirst(stage: stage.name, flowSession: request.flowSession)
        decided: while next < chain.count, !context.hasFailedAttempts, !mustRecordFirst {
            switch chain[next].checkNow(secret, context: context) {
            case .accepted(let user): return .now(accepted(Acceptance(user: user), by: chain[next], stage: stage))
            case .refused: next += 1
            case .mustWait: break decided
            }
        }
        let remaining = chain[next...]
        return .later { try await rest(request, secret: secret, context: context, stage: stage, chain: remaining) }
    }

    /// The rest of a login: the remaining backends, awaited in order, then the failure counted
    /// or, after a success, the flow session's earlier failures cleared.
    private func rest(
        _ request: Postern.Password.V1.AuthenticateRequest, secret: [UInt8], context: LoginContext, stage: LoginStage,
        chain: ArraySlice<any AuthenticationBackend>
    ) async throws(RPCError) -> Postern.Password.V1.AuthenticateResponse {
        let limit = stage.failedAttemptsBeforeCancel
        for backend in chain {
            if let acceptance = try await backend.authenticate(secret, context: context) {
                // Failures this daemon could not record come first: the success waits for them
                // and, if they reach the limit, cancels the flow as they would have.
                let pending = try takeUnrecorded(stage: stage.name, flowSession: request.flowSession)
                if pending > 0 {
                    let count = try await recordFailures(pending, stage: stage.name, flowSession: request.flowSession, limit: limit)
                    if count >= limit {
                        logger.notice("flow_cancelled", metadata: ["stage": "\(stage.name)", "reason": "failed_attempts"])
                        return Postern.Password.V1.AuthenticateResponse(outcome: .cancel, message: Self.invalidPassword)
                    }
                }
                // Read before the hash: a failure another daemon counts meanwhile for this
                // same flow session stays counted, as if it had come after the success.
                if context.hasFailedAttempts || pending > 0 {
                    try await stored { () throws(StoreError) in
                        try await store.clearFailedAttempts(stage: stage.name, flowSession: request.flowSession)
                    }
                }
                return accepted(acceptance, by: backend, stage: stage)
            }
        }

        let pending = try takeUnrecorded(stage: stage.name, flowSession: request.flowSession)
        let count = try await recordFailures(1 + pending, stage: stage.name, flowSession: request.flowSession, limit: limit)
        logger.notice(
            "login_failed",
            metadata: [
                "username": "\(context.user?.username ?? request.username)", "stage": "\(stage.name)",
                "client_address": "\(request.clientAddress)", "attempt": "\(count)",
            ])
        if count >= limit {
            logger.notice("flow_cancelled", metadata: ["stage": "\(stage.name)", "reason": "failed_attempts"])
            return Postern.Password.V1.AuthenticateResponse(outcome: .cancel, message: Self.invalidPassword)
        }
        return Postern.Password.V1.AuthenticateResponse(outcome: .invalid, message: Self.invalidPassword, attemptsLeft: UInt32(limit - count))
    }

    /// A success's answer; its `authenticated` line is written after the answer (docs/events.md).
    private func accepted(_ acceptance: Acceptance, by backend: any AuthenticationBackend, stage: LoginStage) -> Postern.Password.V1.AuthenticateResponse {
        let user = acceptance.user
        let (logger, userID, backendName, stageName, source) = (logger, user.id, backend.kind.name, stage.name, acceptance.source)
        AfterTheAnswer.run {
            var metadata: Logger.Metadata = ["user_id": "\(userID)", "backend": "\(backendName)", "stage": "\(stageName)"]
            if let source { metadata["source"] = "\(source)" }
            logger.notice("authenticated", metadata: metadata)
        }
        // Only the password itself must be changed: a login by app password goes on as it is.
        return Postern.Password.V1.AuthenticateResponse(
            outcome: .authenticated, userID: user.id, username: user.username, backend: backend.kind.name,
            method: backend.method, mustChange: backend.kind == .internal && user.passwordMustChange,
            source: acceptance.source ?? "")
    }

    /// The failures of (stage, flow session) the store would not take earlier.
    private func takeUnrecorded(stage: String, flowSession: String) throws(RPCError) -> Int {
        do {
            return try unrecorded.take(stage: stage, flowSession: flowSession, now: Date())
        } catch {
            throw RPCError(code: .unavailable, message: "failed attempts cannot be recorded; try again later")
        }
    }

    /// Adds `count` failures to the flow session's counter; the count after. When the store
    /// will not take them they are kept (`UnrecordedFailures`) and the attempt fails UNAVAILABLE,
    /// logged once per episode rather than per call.
    private func recordFailures(_ count: Int, stage: String, flowSession: String, limit: Int) async throws(RPCError) -> Int {
        let now = Date()
        do {
            let total = try await store.recordFailedAttempt(
                stage: stage, flowSession: flowSession, count: count, limit: limit, expiry: failedAttemptsExpiry, now: now)
            // Reaching the limit deletes the counter, which may write nothing at all: only a
            // counter written below it shows the store takes writes again.
            if total < limit { unrecorded.recorded() }
            return total
        } catch {
            guard case .unavailable(let reason) = error else {
                return try await storeCall(logger) { () throws(StoreError) -> Int in throw error }
            }
            unrecorded.keep(
                count, stage: stage, flowSession: flowSession, expires: now.addingTimeInterval(failedAttemptsExpiry), now: now,
                error: reason)
            throw RPCError(code: .unavailable, message: "the failed attempt cannot be recorded; this login fails until it is")
        }
    }

    private func stored<T>(_ operation: () async throws(StoreError) -> T) async throws(RPCError) -> T {
        try await storeCall(logger, operation)
    }
}
