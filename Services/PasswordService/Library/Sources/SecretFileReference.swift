import Foundation
import PosternRPC

/// Where a source's secret file is (a service account's password, a keytab): an absolute path,
/// or `credential:NAME` for the systemd credential NAME under $CREDENTIALS_DIRECTORY. The store
/// keeps the reference, never the secret.
enum SecretFileReference {
    static let credentialPrefix = "credential:"

    /// The file's path for `reference`, given as the field `field`.
    static func path(_ reference: String, field: String, environment: [String: String]) throws(RPCError) -> String {
        if reference.hasPrefix(credentialPrefix) {
            let name = String(reference.dropFirst(credentialPrefix.count))
            guard !name.isEmpty, !name.contains("/"), name != ".", name != ".." else {
                throw RPCError(code: .invalidArgument, message: "\(field) credential:NAME needs a credential name without '/'")
            }
            guard let directory = environment["CREDENTIALS_DIRECTORY"], !directory.isEmpty else {
                throw RPCError(
                    code: .failedPrecondition,
                    message: "\(field) names systemd credential \(name), but postern-password has no CREDENTIALS_DIRECTORY; add LoadCredential=\(name):… to its unit")
            }
            return directory + "/" + name
        }
        guard reference.hasPrefix("/") else {
            throw RPCError(code: .invalidArgument, message: "\(field) must be an absolute path or credential:NAME")
        }
        return reference
    }

    /// The path of `reference`, which postern-password must be able to read now.
    static func readablePath(_ reference: String, field: String, environment: [String: String]) throws(RPCError) -> String {
        let path = try path(reference, field: field, environment: environment)
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw RPCError(
                code: .failedPrecondition,
                message: "\(field) \(path) cannot be read by postern-password; check that it exists and its owner")
        }
        return path
    }
}
