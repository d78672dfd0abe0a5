import Foundation
import Logging
import PosternDaemon
import PosternProtocol
import PosternStore
import PosternWire

/// `postern.password.v1.Authentication/Authenticate` (class `verify`): one submission to a
/// password stage, tried through the stage's backends in order (authentik §6.3), with failed
/// attempts counted per (stage, flow session) in the store (§6.5's session counter), so every
/// daemon on one store agrees. docs/authenticate.md.
public struct AuthenticationService: RPCService {
    public static let serviceName = AuthenticationMethods.service
    /// authentik's message for every refusal.
    static let invalidPassword = "Invalid password"

    private let store: PasswordStore
    private let backends: [PasswordStage.Backend: any AuthenticationBackend]
    private let appPasswords: AppPasswordBackend
    private let failedAttemptsExpiry: TimeInterval
    private let logger: Logger

    init(
        store: PasswordStore, verifier: PasswordVerifier, appPasswordKey: AppPasswordKey?, failedAttemptsExpiry: Duration,
        logger: Logger
    ) {
        self.store = store
        appPasswords = AppPasswordBackend(key: appPasswordKey)
        let all: [any AuthenticationBackend] = [InternalBackend(verifier: verifier), appPasswords]
        self.backends = Dictionary(uniqueKeysWithValues: all.map { ($0.kind, $0) })
        self.failedAttemptsExpiry = failedAttemptsExpiry.timeInterval
        self.logger = logger
    }

    public func registerMethods(with router: inout RPCRouter) {
        router.register(AuthenticationMethods.authenticate, access: .verify) { (request: AuthenticateRequest, _) in
            try await authenticate(request)
        }
    }

    func authenticate(_ request: AuthenticateRequest) async throws(RPCError) -> AuthenticateResponse {
        guard !request.flowSession.isEmpty, request.flowSession.utf8.count <= 255 else {
            throw RPCError(code: .invalidArgument, message: "flow_session must be 1…255 bytes")
        }
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
        guard let stageRow = context.stage else {
            throw RPCError(code: .notFound, message: "no stage named \"\(RPCRouter.printable(request.stage))\"")
        }
        let user = context.user

        for kind in StageRules.backends(stageRow.backends) {
            // A stage only ever names built backends (StageRules); one missing here is skipped,
            // as authentik skips a backend it cannot import.
            guard let backend = backends[kind] else { continue }
            if let accepted = try await backend.authenticate(secret, context: context) {
                // Read before the hash: a failure another daemon counts meanwhile for this
                // same flow session stays counted, as if it had come after the success.
                if context.hasFailedAttempts {
                    try await stored { () throws(StoreError) in
                        try await store.clearFailedAttempts(stage: stageRow.name, flowSession: request.flowSession)
                    }
                }
                // The line is built and written after the answer is on its way (docs/events.md).
                let (logger, userID, backendName, stage) = (logger, accepted.id, kind.name, stageRow.name)
                AfterTheAnswer.run {
                    logger.notice("authenticated", metadata: ["user_id": "\(userID)", "backend": "\(backendName)", "stage": "\(stage)"])
                }
                return AuthenticateResponse(
                    outcome: .authenticated, userID: accepted.id, username: accepted.username, backend: kind.name,
                    method: backend.method)
            }
        }

        let limit = stageRow.failedAttemptsBeforeCancel
        let count = try await stored { () throws(StoreError) in
            try await store.recordFailedAttempt(
                stage: stageRow.name, flowSession: request.flowSession, limit: limit, expiry: failedAttemptsExpiry, now: Date())
        }
        logger.notice(
            "login_failed",
            metadata: [
                "username": "\(user?.username ?? request.username)", "stage": "\(stageRow.name)",
                "client_address": "\(request.clientAddress)", "attempt": "\(count)",
            ])
        if count >= limit {
            logger.notice("flow_cancelled", metadata: ["stage": "\(stageRow.name)", "reason": "failed_attempts"])
            return AuthenticateResponse(outcome: .cancel, message: Self.invalidPassword)
        }
        return AuthenticateResponse(outcome: .invalid, message: Self.invalidPassword, attemptsLeft: UInt32(limit - count))
    }

    private func stored<T>(_ operation: () async throws(StoreError) -> T) async throws(RPCError) -> T {
        try await storeCall(logger, operation)
    }
}
