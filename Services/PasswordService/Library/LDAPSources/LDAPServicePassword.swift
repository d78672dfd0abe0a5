import Foundation
import PosternRPC

/// The service account's password: read from a file or a systemd credential each time a
/// service connection binds (so a rotated file takes effect without a restart), never stored.
enum LDAPServicePassword {
    static let maximumBytes = 1024

    /// The password's bytes: the file's content without one trailing newline.
    static func read(_ reference: String, environment: [String: String]) throws(RPCError) -> [UInt8] {
        let path = try SecretFileReference.path(reference, field: "bind_password_file", environment: environment)
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw RPCError(
                code: .failedPrecondition,
                message: "the service account's password file \(path) cannot be read by postern-password; check that it exists and its owner")
        }
        defer { try? handle.close() }
        // One byte past the limit tells a file that is too long without reading all of it.
        guard let data = try? handle.read(upToCount: maximumBytes + 2) else {
            throw RPCError(code: .failedPrecondition, message: "the service account's password file \(path) cannot be read")
        }
        var bytes = [UInt8](data)
        if bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }
        if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        guard !bytes.isEmpty, bytes.count <= maximumBytes else {
            throw RPCError(
                code: .failedPrecondition,
                message: "the service account's password file \(path) must hold 1…\(maximumBytes) bytes")
        }
        return bytes
    }
}
