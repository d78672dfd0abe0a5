import PosternProtocol

/// A binding as the engine runs it: enabled (disabled ones never reach the engine), its policy
/// compiled, its timeout a duration. A class, so that evaluations share it instead of copying
/// its fields.
final class EngineBinding: Sendable {
    enum Subject: Sendable {
        case policy(name: String, compiled: any CompiledPolicy, executionLogging: Bool)
        /// A user's id.
        case user(String)
        /// A group's name.
        case group(String)
    }

    let id: String
    let order: Int32
    let subject: Subject
    let negate: Bool
    let timeout: Duration
    let failureResult: Bool
    /// The policy of a policy binding (read on every evaluation, so kept apart from `subject`).
    let compiled: (any CompiledPolicy)?

    init(id: String, order: Int32, subject: Subject, negate: Bool, timeout: Duration, failureResult: Bool) {
        self.id = id
        self.order = order
        self.subject = subject
        self.negate = negate
        self.timeout = timeout
        self.failureResult = failureResult
        if case .policy(_, let compiled, _) = subject { self.compiled = compiled } else { self.compiled = nil }
    }

    /// For a static (user or group) binding: whether it passes for `user`, negate applied; a
    /// binding never passes for the anonymous visitor (authentik's bulk check).
    func staticallyPasses(for user: ContextUser?) -> Bool {
        guard let user else { return false }
        switch subject {
        case .user(let id): return (user.id == id) != negate
        case .group(let name): return user.isMember(of: name) != negate
        case .policy: return false
        }
    }
}

/// A binding target as the engine sees it: its mode and its enabled bindings by ascending order.
struct EngineTarget: Sendable {
    let mode: Postern.Policy.V1.EngineMode
    let bindings: [EngineBinding]

    static let empty = EngineTarget(mode: .any, bindings: [])
}
