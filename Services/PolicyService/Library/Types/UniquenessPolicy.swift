import Logging
import PosternProtocol
import PosternRPC
import PosternWire

/// authentik's Password Uniqueness policy (seed 004; docs/password-uniqueness.md): the new
/// password, found as a password policy finds it, must not be among the policy user's last N
/// passwords, which postern-history holds (its Check, at one hash whatever N is).
final class UniquenessPolicy: CompiledPolicy {
    static let defaultCount: UInt32 = 1
    /// postern-history keeps at most this many passwords per user.
    static let maximumCount: UInt32 = 1000
    static let reusedMessage = "This password has been used previously. Please choose a different one."
    static let unavailableMessage = "The password history cannot be checked now, so the password cannot be accepted. Try again later."

    let field: String
    /// N, `num_historical_passwords`.
    let count: UInt32
    let history: PeerClient
    let logger: Logger
    var promptField: String? { field }

    init(settings: Postern.Policy.V1.PasswordUniquenessSettings, history: PeerClient, logger: Logger) {
        field = settings.passwordField.isEmpty ? PasswordPolicy.defaultField : settings.passwordField
        count = settings.numHistoricalPasswords?.value ?? Self.defaultCount
        self.history = history
        self.logger = logger
    }

    static let kind = PolicyKind(
        type: .passwordUniqueness,
        carriesSettings: { $0.passwordUniqueness != nil },
        settings: { policy, dependencies throws(RPCError) in
            let settings = policy.passwordUniqueness ?? .init()
            if !settings.passwordField.isEmpty {
                try ConfigurationRules.fieldKey(settings.passwordField, "password_uniqueness.password_field")
            }
            if let count = settings.numHistoricalPasswords?.value, count > maximumCount {
                throw ConfigurationRules.invalid("password_uniqueness.num_historical_passwords is \(count); at most \(maximumCount)")
            }
            guard dependencies.history != nil else {
                throw RPCError(
                    code: .failedPrecondition,
                    message: "a password_uniqueness policy needs postern-history: set history.socket in postern-policy's configuration")
            }
            return settings.protobuf()
        },
        restore: { bytes, policy throws(ProtoDecodingError) in
            policy.passwordUniqueness = try Postern.Policy.V1.PasswordUniquenessSettings(protobuf: bytes)
        },
        compile: { name, bytes, dependencies throws(PolicyFailure) in
            let settings = try PolicyKind.stored(Postern.Policy.V1.PasswordUniquenessSettings.self, bytes, policy: name)
            guard let history = dependencies.history else {
                throw PolicyFailure("policy \(name) is a password_uniqueness policy, which needs history.socket (postern-history's socket)")
            }
            return UniquenessPolicy(settings: settings, history: history, logger: dependencies.logger)
        })

    func run(_ request: PolicyRequest) -> PolicyRun {
        let password: String
        switch request.context.password(field: field) {
        case .notSet:
            return .done(.success(PolicyOutcome(passing: false, messages: [PolicyContext.passwordNotSet])))
        case .notAString(let path, let kind):
            return .done(.failure(PolicyFailure("\(path) must be a string, not \(kind)")))
        case .found(let found):
            password = found
        }
        // N = 0 compares with nothing; without a user there is no history to compare with.
        guard count > 0, let user = request.context.policyUser else {
            return .done(.success(PolicyOutcome(passing: true, messages: [])))
        }
        let (history, count, logger, field) = (history, count, logger, field)
        let reserve = request.reservesHistory
        return .waits {
            let answer: Postern.History.V1.CheckResponse
            do throws(RPCError) {
                answer = try await history.call(
                    Postern.History.V1.History.check, .init(userID: user.id, password: password, count: count, reserve: reserve))
            } catch {
                // Fails closed, whatever the binding's failure_result: a password that could not
                // be checked is not accepted.
                logger.warning(
                    "password_history_unavailable",
                    metadata: ["user_id": "\(user.id)", "socket": "\(history.socketPath)", "status": "\(error.code.name)", "error": "\(error.message)"])
                return .success(PolicyOutcome(
                    passing: false, messages: [Self.unavailableMessage],
                    logMessages: ["postern-history did not answer: \(error.code.name): \(error.message)"]))
            }
            return .success(
                answer.reused
                    ? PolicyOutcome(passing: false, messages: [Self.reusedMessage])
                    : PolicyOutcome(
                        passing: true, messages: [], logMessages: ["compared with \(answer.compared) earlier passwords"],
                        historyReservation: answer.reservation.isEmpty ? nil : HistoryReservation(field: field, token: answer.reservation)))
        }
    }
}
