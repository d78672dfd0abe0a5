import PosternProtocol
import PosternRPC

/// One policy type, as the registry knows it: how its settings message is found in a
/// `Policy`, checked, stored, given back and compiled. Adding a type is adding a `PolicyKind`
/// to `PolicyKinds.built`; the engine, the store and the RPCs do not change.
public struct PolicyKind: Sendable {
    public let type: Postern.Policy.V1.PolicyType
    /// Whether `policy` carries this type's settings message.
    let carriesSettings: @Sendable (Postern.Policy.V1.Policy) -> Bool
    /// This type's settings from `policy` (which carries them), checked, as stored bytes.
    let settings: @Sendable (Postern.Policy.V1.Policy, PolicyDependencies) throws(RPCError) -> [UInt8]
    /// Stored settings put back into a message.
    let restore: @Sendable ([UInt8], inout Postern.Policy.V1.Policy) throws(ProtoDecodingError) -> Void
    /// Stored settings compiled; `name` is the policy's.
    let compile: @Sendable (_ name: String, _ settings: [UInt8], PolicyDependencies) throws(PolicyFailure) -> any CompiledPolicy

    /// The type's name in errors, logs and the CLI: `dummy`, `password_uniqueness`.
    public var name: String { type.name }

    /// A policy's stored settings, decoded to compile it; bytes that do not decode make the
    /// policy fail (its binding's failure_result applies), not the daemon.
    static func stored<Settings: ProtoMessage>(
        _ type: Settings.Type, _ bytes: [UInt8], policy name: String
    ) throws(PolicyFailure) -> Settings {
        do {
            return try Settings(protobuf: bytes)
        } catch {
            throw PolicyFailure("policy \(name)'s stored settings do not decode: \(error)")
        }
    }
}

/// The policy types this build can run, and every settings message a `Policy` may carry.
public enum PolicyKinds {
    public static let built: [PolicyKind] = [
        DummyPolicy.kind, ExpressionPolicy.kind, PasswordPolicy.kind, UniquenessPolicy.kind, ExpiryPolicy.kind,
    ]

    public static func kind(_ type: Postern.Policy.V1.PolicyType) -> PolicyKind? {
        built.first { $0.type == type }
    }

    /// The types whose settings `policy` carries (so that a policy of one type carrying
    /// another's settings is refused, not silently stripped).
    static func carried(by policy: Postern.Policy.V1.Policy) -> [Postern.Policy.V1.PolicyType] {
        built.filter { $0.carriesSettings(policy) }.map(\.type)
    }
}
