import Logging

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
