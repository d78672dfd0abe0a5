import Foundation
import PosternRPC
import PosternWire

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A 32-byte secret an operator keeps in a file outside the database — the app-password key,
/// the history pepper — base64 on one line, handed to the daemon as a systemd credential in
/// production (docs/systemd.md).
public enum SecretKeyFile {
    /// How an operator makes one.
    public static let howToCreate = "head -c 32 /dev/urandom | base64 > FILE && chmod 0400 FILE"

    /// The longest file read: a base64 line of 32 bytes is 45; a larger file is not a key.
    static let maximumFileLength = 4096

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
    /// there but unreadable, or not base64 of 32 bytes, keeps the daemon from starting, and so
    /// does one that others could read or replace (`SecretFileOwnership`) unless
    /// `insecurePermissionsOK`. `what` names the secret in the reason ("the app-password key").
    public static func load(path: String, what: String, insecurePermissionsOK: Bool = false) throws(StartupError) -> [UInt8]? {
        var flags = O_RDONLY | O_CLOEXEC
        if !insecurePermissionsOK { flags |= O_NOFOLLOW }
        let descriptor = open(path, flags)
        guard descriptor >= 0 else {
            let code = errno
            if code == ENOENT { return nil }
            if code == ELOOP {
                throw StartupError(
                    "\(what) \(path) is a symbolic link; a secret is read only from a file of its own "
                        + "(point the setting at the file itself, or set insecure_permissions_ok = true)")
            }
            throw StartupError("cannot read \(what) \(path): \(String(cString: strerror(code)))")
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw StartupError("cannot read \(what) \(path): \(String(cString: strerror(errno)))")
        }
        guard status.st_mode & S_IFMT == S_IFREG else { throw StartupError("\(what) \(path) is not a regular file") }
        if !insecurePermissionsOK {
            try SecretFileOwnership(status).check(what: what, path: path)
        }
        guard status.st_size <= maximumFileLength else {
            throw StartupError("\(what) \(path) is \(status.st_size) bytes; a key file is one base64 line (\(howToCreate))")
        }
        let text = try readAll(descriptor, what: what, path: path)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard let secret = Data(base64Encoded: text), secret.count == 32 else {
            throw StartupError("\(what) \(path) is not base64 of 32 bytes; make one with: \(howToCreate)")
        }
        return [UInt8](secret)
    }

    private static func readAll(_ descriptor: Int32, what: String, path: String) throws(StartupError) -> String {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 512)
        while bytes.count <= maximumFileLength {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                throw StartupError("cannot read \(what) \(path): \(String(cString: strerror(errno)))")
            }
            bytes.append(contentsOf: chunk[..<count])
        }
        guard bytes.count <= maximumFileLength else {
            throw StartupError("\(what) \(path) grew past \(maximumFileLength) bytes while being read")
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Who could read or replace a secret file: refused when its group or others may read or write
/// it, or when it belongs to a user other than the daemon's own or root.
struct SecretFileOwnership {
    let mode: UInt32
    let owner: uid_t

    init(_ status: stat) {
        mode = UInt32(status.st_mode) & 0o7777
        owner = status.st_uid
    }

    func check(what: String, path: String) throws(StartupError) {
        let octal = String(mode, radix: 8)
        if mode & 0o066 != 0 {
            throw StartupError(
                "\(what) \(path) has mode 0\(octal): its group or others may read or write it; "
                    + "run chmod 0400 \(path) (or set insecure_permissions_ok = true)")
        }
        let daemon = geteuid()
        if owner != daemon && owner != 0 {
            throw StartupError(
                "\(what) \(path) belongs to uid \(owner), not to this daemon's user (uid \(daemon)) or root; "
                    + "run chown \(daemon) \(path) (or set insecure_permissions_ok = true)")
        }
    }
}
