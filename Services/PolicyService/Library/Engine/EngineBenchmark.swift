import Logging
import PosternCEL

/// The engine's own cost, in process — no socket, no decoding, no response encoding — for
/// `scripts/bench policy` (Tests/Bench/PolicyEngine).
public enum EngineBenchmark {
    /// Nanoseconds per evaluation of a target with `bindings` policy bindings whose policies
    /// answer at once (dummy, no wait), for the context `contextJSON`: the median of `rounds`
    /// rounds of `iterations` evaluations.
    public static func nanosecondsPerEvaluation(bindings: Int, contextJSON: String, iterations: Int = 20000, rounds: Int = 7) throws -> Double {
        let context = try PolicyContext.parse(contextJSON)
        let policy = DummyPolicy(settings: .init(result: true))
        let target = EngineTarget(
            mode: .all,
            bindings: (0..<bindings).map { index in
                EngineBinding(
                    id: String(repeating: "0", count: 31) + String(index % 10), order: Int32(index),
                    subject: .policy(name: "bench-\(index)", compiled: policy, executionLogging: false),
                    negate: false, timeout: .seconds(30), failureResult: false)
            })
        let engine = PolicyEngine(logger: Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() }))
        let request = PolicyRequest(context: context)
        var samples: [Double] = []
        var passing = 0
        for _ in 0..<rounds {
            let start = ContinuousClock.now
            for _ in 0..<iterations {
                if case .done(let verdict) = engine.evaluate(target, request), verdict.passing { passing += 1 }
            }
            let elapsed = ContinuousClock.now - start
            samples.append(Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9)
        }
        precondition(passing == rounds * iterations, "every evaluation passes and answers at once")
        return samples.sorted()[rounds / 2] / Double(iterations)
    }
}

extension EngineBenchmark {
    /// The seed's WebAuthn check as an expression policy (docs/expressions.md).
    public static let webAuthnExpression =
        #"!has(request.context.pending_user) || !has(request.context.pending_user.devices) || !request.context.pending_user.devices.exists(d, d.type == "webauthn" && d.confirmed)"#

    /// Nanoseconds per run of an expression policy of `source` on `contextJSON`, the context
    /// parsed once (as in the daemon, where its CEL form is made once per request and shared):
    /// the median of `rounds` rounds of `iterations` runs. Throws when it does not parse or run.
    public static func expressionNanoseconds(_ source: String, contextJSON: String, iterations: Int = 100_000, rounds: Int = 7) throws -> Double {
        let context = try PolicyContext.parse(contextJSON)
        let program = try CELProgram(source)
        let variables = context.celVariables
        var samples: [Double] = []
        var answered = 0
        for _ in 0..<rounds {
            let start = ContinuousClock.now
            for _ in 0..<iterations {
                if case .bool = try program.evaluate(variables) { answered += 1 }
            }
            let elapsed = ContinuousClock.now - start
            samples.append(Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9)
        }
        precondition(answered == rounds * iterations, "the expression gives a bool")
        return samples.sorted()[rounds / 2] / Double(iterations)
    }
}
