import Logging
import PosternProtocol

/// authentik's policy engine (docs/policies.md "The engine"), over one target's enabled
/// bindings:
/// - user and group bindings are judged in bulk into one combined result without messages
///   (`any`: one passes; `all`: all pass), or none when there are no such bindings;
/// - each policy binding runs its policy: negate flips the result, never an error's
///   failure_result; a policy still running at the binding's timeout is cancelled and gives
///   failure_result;
/// - no results pass; `all` needs every result to pass, `any` one; the messages are every
///   policy result's, in binding order.
/// Policies that answer at once run inline; the others run concurrently, and the verdict waits
/// for the last of them (or its timeout).
struct PolicyEngine: Sendable {
    let logger: Logger

    func evaluate(_ target: EngineTarget, _ request: PolicyRequest) -> VerdictRun {
        let user = request.context.policyUser
        var outcomes: [BindingOutcome] = []
        outcomes.reserveCapacity(target.bindings.count)
        var waiting: [(index: Int, body: @Sendable () async -> Result<PolicyOutcome, PolicyFailure>)] = []
        // One clock reading per policy run: each run's end is the next one's start.
        var start = ContinuousClock.now
        for binding in target.bindings {
            guard let compiled = binding.compiled else {
                outcomes.append(BindingOutcome(passing: binding.staticallyPasses(for: user), messages: []))
                continue
            }
            switch compiled.run(request) {
            case .done(let result):
                var outcome = settle(result, binding)
                let end = ContinuousClock.now
                outcome.duration = end - start
                start = end
                log(outcome, binding, user)
                outcomes.append(outcome)
            case .waits(let body):
                waiting.append((outcomes.count, body))
                outcomes.append(BindingOutcome(passing: false, messages: []))  // replaced when it is done
            }
        }
        guard !waiting.isEmpty else {
            return .done(Self.combine(target, outcomes))
        }
        let settled = outcomes
        let pending = waiting
        return .waits {
            var outcomes = settled
            await withTaskGroup(of: (Int, BindingOutcome).self) { group in
                for (index, body) in pending {
                    let binding = target.bindings[index]
                    group.addTask {
                        let start = ContinuousClock.now
                        var outcome =
                            if let result = await Deadline.race(body, within: binding.timeout) {
                                settle(result, binding)
                            } else {
                                BindingOutcome.timeout(binding.timeout, failureResult: binding.failureResult)
                            }
                        outcome.duration = ContinuousClock.now - start
                        return (index, outcome)
                    }
                }
                for await (index, outcome) in group {
                    outcomes[index] = outcome
                    log(outcome, target.bindings[index], user)
                }
            }
            return Self.combine(target, outcomes)
        }
    }

    private func settle(_ result: Result<PolicyOutcome, PolicyFailure>, _ binding: EngineBinding) -> BindingOutcome {
        switch result {
        case .success(let outcome): .policy(outcome, negate: binding.negate)
        case .failure(let failure): .failure(failure, failureResult: binding.failureResult)
        }
    }

    /// authentik's events, as log lines: `policy_exception` for an error, `policy_timeout` for
    /// a timeout, `policy_execution` for every run of a policy with execution_logging. Neither
    /// the context nor the messages are logged (either may carry what the user typed).
    private func log(_ outcome: BindingOutcome, _ binding: EngineBinding, _ user: ContextUser?) {
        guard case .policy(let name, _, let executionLogging) = binding.subject,
              outcome.errored || outcome.timedOut || executionLogging
        else { return }
        let metadata: Logger.Metadata = [
            "policy": "\(name)", "binding": "\(binding.id)", "passing": "\(outcome.passing)",
            "user_id": "\(user?.id ?? "")", "micros": "\(outcome.duration.microseconds)",
        ]
        if outcome.errored {
            logger.warning("policy_exception", metadata: metadata.merging(["error": "\(outcome.messages.first ?? "")"]) { $1 })
        } else if outcome.timedOut {
            logger.warning("policy_timeout", metadata: metadata)
        } else if executionLogging {
            logger.notice("policy_execution", metadata: metadata.merging(["messages": "\(outcome.messages.count)"]) { $1 })
        }
    }

    /// The verdict from every enabled binding's outcome, in order.
    static func combine(_ target: EngineTarget, _ outcomes: [BindingOutcome]) -> Verdict {
        var results: [Bool] = []
        var messages: [String] = []
        var staticTotal = 0
        var staticPassing = 0
        for (binding, outcome) in zip(target.bindings, outcomes) {
            if case .policy = binding.subject {
                results.append(outcome.passing)
                messages.append(contentsOf: outcome.messages)
            } else {
                staticTotal += 1
                if outcome.passing { staticPassing += 1 }
            }
        }
        if staticTotal > 0 {
            results.append(target.mode == .all ? staticPassing == staticTotal : staticPassing > 0)
        }
        let passing =
            results.isEmpty ? true : target.mode == .all ? results.allSatisfy { $0 } : results.contains(true)
        return Verdict(passing: passing, messages: messages, bindings: target.bindings, outcomes: outcomes)
    }
}
