import Foundation
import PosternRPC
import PosternWire

/// A 32-byte secret an operator keeps in a file outside the database — the app-password key,
/// the history pepper — base64 on one line, handed to the daemon as a systemd credential in
/// production (docs/systemd.md).
public enum SecretKeyFile {
    /// How an operator makes one.
    public static let howToCreate = "head -c 32 /dev/urandom | base64 > FILE && chmod 0400 FILE"

    /// `configured`, else `$CREDENTIALS_DIRECTORY/<credential>` under systemd, else
    /// `/etc/postern/<credential>`.
    public static func path(configured: String?, credential: String, environment: [String: String]) -> String {
        if let configured { return configured }
        if let credentials = environment["CREDENTIALS_DIRECTORY"], !credentials.isEmpty {
            return credentials + "/" + credential
        }
        return "/etc/postern/" + credential
    }

    /// The 32 bytes in the file at `path`; nil when there is no such file. A file that is
    /// there but unreadable, or not base64 of 32 bytes, keeps the daemon from starting.
    /// `what` names the secret in the reason ("the app-password key").
    public static func load(path: String, what: String) throws(StartupError) -> [UInt8]? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw StartupError("cannot read \(what) \(path)")
        }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let secret = Data(base64Encoded: text), secret.count == 32 else {
            throw StartupError("\(what) \(path) is not base64 of 32 bytes; make one with: \(howToCreate)")
        }
        return [UInt8](secret)
    }
}
