import PosternRPC
import PosternWire

/// A password as a request carries it, checked before any hashing: 1…1024 bytes of UTF-8
/// (protobuf has already refused invalid UTF-8). Hashed as those exact bytes (docs/hashing.md),
/// by postern-password and by postern-history alike.
public enum PasswordInput {
    public static let maximumBytes = 1024

    public static func bytes(_ password: String, field: String) throws(RPCError) -> [UInt8] {
        let bytes = Array(password.utf8)
        guard !bytes.isEmpty else { throw RPCError(code: .invalidArgument, message: "\(field) is empty") }
        guard bytes.count <= maximumBytes else {
            throw RPCError(code: .invalidArgument, message: "\(field) is longer than \(maximumBytes) bytes")
        }
        return bytes
    }
}
