import PosternProtocol

/// A call's failure as the caller sees it: a status code and a message, plus an optional cause
/// that stays on this side (logged, never sent).
///
/// Handlers throw `RPCError` to answer with a status; any other error a handler throws is
/// answered INTERNAL with a generic message. Messages must never contain secrets.
public struct RPCError: Error, Equatable, Sendable, CustomStringConvertible {
    public var code: StatusCode
    public var message: String
    /// What went wrong underneath, for the log only. Not compared by `==`.
    public var cause: (any Error & Sendable)?

    public init(code: StatusCode, message: String, cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    public static func == (lhs: RPCError, rhs: RPCError) -> Bool {
        lhs.code == rhs.code && lhs.message == rhs.message
    }

    public var description: String { "\(code.name): \(message)" }
}
