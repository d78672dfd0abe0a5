import PosternProtocol

/// What one binding gave in one evaluation.
struct BindingOutcome: Sendable {
    var passing: Bool
    var messages: [String]
    var logMessages: [String] = []
    var errored = false
    var timedOut = false
    var duration: Duration = .zero
    var historyReservation: HistoryReservation?

    /// A policy's own outcome with the binding's negate applied (messages unaffected).
    static func policy(_ outcome: PolicyOutcome, negate: Bool) -> BindingOutcome {
        BindingOutcome(
            passing: outcome.passing != negate, messages: outcome.messages, logMessages: outcome.logMessages,
            historyReservation: outcome.historyReservation)
    }

    /// A policy's error: failure_result, never negated, with the error's text as its message.
    static func failure(_ failure: PolicyFailure, failureResult: Bool) -> BindingOutcome {
        BindingOutcome(passing: failureResult, messages: [failure.message], errored: true)
    }

    /// A policy still running at its timeout: failure_result, never negated.
    static func timeout(_ timeout: Duration, failureResult: Bool) -> BindingOutcome {
        BindingOutcome(
            passing: failureResult, messages: ["Policy did not finish within \(timeout.components.seconds) s"], timedOut: true)
    }
}

/// The engine's answer for one target (authentik's PolicyResult of PolicyEngine.result).
struct Verdict: Sendable {
    let passing: Bool
    let messages: [String]
    /// The target's enabled bindings, in order, and what each gave.
    let bindings: [EngineBinding]
    let outcomes: [BindingOutcome]

    func message() -> Postern.Policy.V1.Verdict {
        Postern.Policy.V1.Verdict(
            passing: passing, messages: messages,
            results: zip(bindings, outcomes).map { binding, outcome in
                var result = Postern.Policy.V1.BindingResult(
                    bindingID: binding.id, order: binding.order, passing: outcome.passing, messages: outcome.messages,
                    errored: outcome.errored, timedOut: outcome.timedOut,
                    durationMicros: UInt64(max(0, outcome.duration.microseconds)))
                switch binding.subject {
                case .policy(let name, _, _): result.policy = name
                case .user(let id): result.user = id
                case .group(let name): result.group = name
                }
                return result
            })
    }
}

/// A verdict now, or one that waits for policies still running.
enum VerdictRun: Sendable {
    case done(Verdict)
    case waits(@Sendable () async -> Verdict)

    func value() async -> Verdict {
        switch self {
        case .done(let verdict): verdict
        case .waits(let body): await body()
        }
    }
}

extension Duration {
    var microseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000 + attoseconds / 1_000_000_000_000
    }
}
