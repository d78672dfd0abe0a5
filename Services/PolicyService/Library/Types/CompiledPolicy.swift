/// What one run of a policy concluded.
public struct PolicyOutcome: Sendable, Equatable {
    public var passing: Bool
    public var messages: [String]
    /// What the policy says about its run (authentik's log_messages): for `Test`.
    public var logMessages: [String]

    public init(passing: Bool, messages: [String], logMessages: [String] = []) {
        self.passing = passing
        self.messages = messages
        self.logMessages = logMessages
    }
}

/// A policy that failed with an error (authentik's PolicyException): the binding's
/// failure_result applies, and `message` — which never holds a secret — is its one message.
public struct PolicyFailure: Error, Sendable, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
}

/// How a policy answers: at once (computed in memory), or later, after work that waits
/// (a timer, another daemon). The engine runs what answers at once inline and the rest
/// concurrently, each against its binding's timeout.
public enum PolicyRun: Sendable {
    case done(Result<PolicyOutcome, PolicyFailure>)
    /// Must honour task cancellation: the engine cancels it at its binding's timeout.
    case waits(@Sendable () async -> Result<PolicyOutcome, PolicyFailure>)
}

/// What a policy is asked about.
public struct PolicyRequest: Sendable {
    public let context: PolicyContext
    public init(context: PolicyContext) { self.context = context }
}

/// A policy ready to run: its settings checked and prepared once, when it was created or
/// changed (or the daemon started), never per evaluation. A class: evaluations share it.
public protocol CompiledPolicy: AnyObject, Sendable {
    func run(_ request: PolicyRequest) -> PolicyRun
    /// The prompt field this policy judges (a password policy's password_field): a prompt
    /// validation shows its messages under that field too. Nil for most types.
    var promptField: String? { get }
}

extension CompiledPolicy {
    public var promptField: String? { nil }
}
