import Logging
import PosternProtocol
import Testing

@testable import PolicyService

/// The engine's combination rules in process (the daemon-level tests are in Tests/Interop).
@Suite struct PolicyEngineTests {
    let engine = PolicyEngine(logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))

    final class Fixed: CompiledPolicy {
        let result: Result<PolicyOutcome, PolicyFailure>
        init(_ result: Result<PolicyOutcome, PolicyFailure>) { self.result = result }
        func run(_ request: PolicyRequest) -> PolicyRun { .done(result) }
    }

    func policy(_ order: Int32, _ result: Result<PolicyOutcome, PolicyFailure>, negate: Bool = false, failureResult: Bool = false) -> EngineBinding {
        EngineBinding(
            id: "b\(order)", order: order, subject: .policy(name: "p\(order)", compiled: Fixed(result), executionLogging: false),
            negate: negate, timeout: .seconds(30), failureResult: failureResult)
    }

    func group(_ order: Int32, _ name: String, negate: Bool = false) -> EngineBinding {
        EngineBinding(id: "g\(order)", order: order, subject: .group(name), negate: negate, timeout: .seconds(30), failureResult: false)
    }

    func verdict(_ mode: Postern.Policy.V1.EngineMode, _ bindings: [EngineBinding], context: String = #"{"user": {"id": "u", "groups": ["in"]}}"#) throws -> Verdict {
        let run = engine.evaluate(EngineTarget(mode: mode, bindings: bindings), PolicyRequest(context: try PolicyContext.parse(context)))
        guard case .done(let verdict) = run else {
            Issue.record("policies that answer at once gave a verdict that waits")
            throw PolicyFailure("waits")
        }
        return verdict
    }

    static let pass = Result<PolicyOutcome, PolicyFailure>.success(PolicyOutcome(passing: true, messages: ["yes"]))
    static let fail = Result<PolicyOutcome, PolicyFailure>.success(PolicyOutcome(passing: false, messages: ["no"]))
    static let error = Result<PolicyOutcome, PolicyFailure>.failure(PolicyFailure("division by zero"))

    @Test func anErrorGivesFailureResultNeverNegated() throws {
        let failing = try verdict(.any, [policy(0, Self.error, negate: true)])
        #expect(!failing.passing && failing.messages == ["division by zero"] && failing.outcomes[0].errored)
        let passing = try verdict(.any, [policy(0, Self.error, negate: true, failureResult: true)])
        #expect(passing.passing && passing.messages == ["division by zero"])
    }

    @Test func staticBindingsCombineIntoOneResultBesideThePolicies() throws {
        // all: a failing group among passing ones fails the static result.
        #expect(try !verdict(.all, [policy(0, Self.pass), group(1, "in"), group(2, "out")]).passing)
        // any: the passing group alone decides, the failing policy's message stays.
        let any = try verdict(.any, [policy(0, Self.fail), group(1, "out"), group(2, "in")])
        #expect(any.passing && any.messages == ["no"])
        // negate on a group the user is not in passes.
        #expect(try verdict(.all, [group(0, "out", negate: true)]).passing)
        // nobody: no static binding passes, negated or not.
        #expect(try !verdict(.any, [group(0, "out", negate: true)], context: "{}").passing)
    }

    @Test func messagesFollowBindingOrderAndNoBindingsPass() throws {
        let mixed = try verdict(.all, [policy(0, Self.fail), policy(1, Self.pass), policy(2, Self.error)])
        #expect(!mixed.passing && mixed.messages == ["no", "yes", "division by zero"])
        #expect(mixed.outcomes.map(\.passing) == [false, true, false])
        let empty = try verdict(.all, [])
        #expect(empty.passing && empty.messages.isEmpty)
    }
}
