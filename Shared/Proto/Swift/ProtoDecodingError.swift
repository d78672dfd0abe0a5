/// Bytes that are not a valid encoding of the message they were meant to be.
///
/// The message names only the message type and the problem, never the bytes: payloads carry
/// secrets.
public struct ProtoDecodingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The protobuf message type, such as `postern.wire.v1.Envelope`.
    public let messageType: String
    /// What is wrong, such as "not valid protobuf" or "method is not valid UTF-8".
    public let problem: String

    public init(messageType: String, problem: String) {
        self.messageType = messageType
        self.problem = problem
    }

    public var description: String { "undecodable \(messageType): \(problem)" }
}
