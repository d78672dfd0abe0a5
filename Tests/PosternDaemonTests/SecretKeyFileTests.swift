import Foundation
import PosternDaemon
import PosternRPC
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A key or pepper file others could read or replace keeps a daemon from starting, saying why
/// and what to run; `insecure_permissions_ok` lets an odd setup through.
@Suite struct SecretKeyFileTests {
    static func withDirectory<R>(_ body: (String) throws -> R) throws -> R {
        let path = "/tmp/postern-secret-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try body(path)
    }

    static func write(_ path: String, mode: Int) {
        let text = Data(repeating: 9, count: 32).base64EncodedString() + "\n"
        #expect(FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: mode]))
    }

    static func refusal(_ path: String) -> String? {
        do {
            _ = try SecretKeyFile.load(path: path, what: "the test key")
            return nil
        } catch {
            return error.message
        }
    }

    @Test func onlyAFileOfItsOwnReadableByItsOwnerIsRead() throws {
        try Self.withDirectory { dir in
            for mode in [0o400, 0o600, 0o700] {
                Self.write("\(dir)/k\(mode)", mode: mode)
                #expect(try SecretKeyFile.load(path: "\(dir)/k\(mode)", what: "the test key") == Array(repeating: 9, count: 32))
            }
            for mode in [0o644, 0o640, 0o604, 0o620, 0o602, 0o666] {
                let path = "\(dir)/open\(mode)"
                Self.write(path, mode: mode)
                let reason = Self.refusal(path)
                #expect(reason?.contains("has mode 0\(String(mode, radix: 8)): its group or others may read or write it") == true, "\(String(describing: reason))")
                #expect(reason?.contains("chmod 0400 \(path)") == true)
                #expect(try SecretKeyFile.load(path: path, what: "the test key", insecurePermissionsOK: true) != nil)
            }
            Self.write("\(dir)/target", mode: 0o400)
            try FileManager.default.createSymbolicLink(atPath: "\(dir)/link", withDestinationPath: "\(dir)/target")
            #expect(Self.refusal("\(dir)/link")?.contains("is a symbolic link") == true)
            #expect(try SecretKeyFile.load(path: "\(dir)/link", what: "the test key", insecurePermissionsOK: true) != nil)
            #expect(Self.refusal(dir)?.contains("is not a regular file") == true)
        }
    }

    @Test(.enabled(if: geteuid() == 0, "only root can give a file to another user"))
    func aFileAnotherUserOwnsIsRefused() throws {
        try Self.withDirectory { dir in
            Self.write("\(dir)/theirs", mode: 0o400)
            #expect(chown("\(dir)/theirs", 4242, 4242) == 0)
            let reason = Self.refusal("\(dir)/theirs")
            #expect(reason?.contains("belongs to uid 4242, not to this daemon's user (uid 0) or root") == true, "\(String(describing: reason))")
            let loaded = try SecretKeyFile.load(path: "\(dir)/theirs", what: "the test key", insecurePermissionsOK: true)
            #expect(loaded != nil)
        }
    }

    @Test func aHugeFileIsNotReadWhole() throws {
        try Self.withDirectory { dir in
            _ = FileManager.default.createFile(
                atPath: "\(dir)/big", contents: Data(repeating: 0x41, count: 1 << 20), attributes: [.posixPermissions: 0o600])
            #expect(Self.refusal("\(dir)/big")?.contains("is 1048576 bytes; a key file is one base64 line") == true)
        }
    }
}
