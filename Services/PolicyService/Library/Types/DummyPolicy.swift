import PosternProtocol
import PosternRPC

/// authentik's dummy policy: after a wait drawn uniformly from [wait_min, wait_max] seconds,
/// `result`, with the message "dummy". With no wait it answers at once.
final class DummyPolicy: CompiledPolicy {
    static let maximumWait: UInt32 = 3600

    let settings: Postern.Policy.V1.DummySettings
    /// Its one answer, made once.
    private let outcome: PolicyOutcome

    init(settings: Postern.Policy.V1.DummySettings) {
        self.settings = settings
        outcome = PolicyOutcome(passing: settings.result, messages: ["dummy"])
    }

    static let kind = PolicyKind(
        type: .dummy,
        carriesSettings: { $0.dummy != nil },
        settings: { policy, _ throws(RPCError) in
            let settings = policy.dummy ?? .init()
            guard settings.waitMax <= maximumWait else {
                throw RPCError(code: .invalidArgument, message: "dummy.wait_max is \(settings.waitMax); at most \(maximumWait) seconds")
            }
            guard settings.waitMin <= settings.waitMax else {
                throw RPCError(
                    code: .invalidArgument,
                    message: "dummy.wait_min (\(settings.waitMin)) is more than dummy.wait_max (\(settings.waitMax))")
            }
            return settings.protobuf()
        },
        restore: { bytes, policy throws(ProtoDecodingError) in
            policy.dummy = try Postern.Policy.V1.DummySettings(protobuf: bytes)
        },
        compile: { name, bytes, _ throws(PolicyFailure) in
            DummyPolicy(settings: try PolicyKind.stored(Postern.Policy.V1.DummySettings.self, bytes, policy: name))
        })

    func run(_ request: PolicyRequest) -> PolicyRun {
        let outcome = self.outcome
        guard settings.waitMax > 0 else { return .done(.success(outcome)) }
        let seconds = Double.random(in: Double(settings.waitMin)...Double(settings.waitMax))
        return .waits {
            do {
                try await Task.sleep(for: .seconds(seconds))
            } catch {
                return .failure(PolicyFailure("dummy policy cancelled while waiting"))
            }
            var waited = outcome
            waited.logMessages = ["dummy: waited \(Int((seconds * 1000).rounded())) ms"]
            return .success(waited)
        }
    }
}
