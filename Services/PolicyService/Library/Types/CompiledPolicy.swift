/// What one run of a policy concluded.
public struct PolicyOutcome: Sendable, Equatable {
    public var passing: Bool
    public var messages: [String]
    /// What the policy says about its run (authentik's log_messages): for `Test`.
    public var logMessages: [String]
    /// A uniqueness policy's postern-history reservation for the password it checked, when the
    /// request asked for one (`PolicyRequest.reservesHistory`).
    public var historyReservation: HistoryReservation?

    public init(passing: Bool, messages: [String], logMessages: [String] = [], historyReservation: HistoryReservation? = nil) {
        self.passing = passing
        self.messages = messages
        self.logMessages = logMessages
        self.historyReservation = historyReservation
    }
}

/// What postern-history's Check reserved for one prompt field's password: the token
/// postern-password's Set and Change pass on so the history record costs no second slow hash.
public struct HistoryReservation: Sendable, Equatable {
    public let field: String
    public let token: String

    public init(field: String, token: String) {
        self.field = field
        self.token = token
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
    /// Whether a uniqueness policy should have postern-history reserve the digest it checks
    /// (ValidatePrompt: the password is about to be set); other evaluations only judge.
    public let reservesHistory: Bool

    public init(context: PolicyContext, reservesHistory: Bool = false) {
        self.context = context
        self.reservesHistory = reservesHistory
    }
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
