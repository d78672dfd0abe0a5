import Foundation
@testable import PasswordService
import PosternRPC
import PosternWire
import Testing

/// The app-password key file, what it seals, and the check made at start against a real store.
@Suite struct AppPasswordKeyTests {
    static func keyFile(_ dir: String, _ name: String, _ bytes: [UInt8]) throws -> String {
        let path = "\(dir)/\(name)"
        _ = FileManager.default.createFile(
            atPath: path, contents: Data((Data(bytes).base64EncodedString() + "\n").utf8), attributes: [.posixPermissions: 0o600])
        return path
    }

    @Test func aKeyFileIsBase64Of32BytesAndAMissingOneIsNoKey() async throws {
        try await withTemporaryDirectory { dir in
            #expect(try AppPasswordKey.load(path: "\(dir)/missing") == nil)
            #expect(try AppPasswordKey.load(path: Self.keyFile(dir, "good", Array(repeating: 7, count: 32))) != nil)
            for (name, bytes) in [("short", Array(repeating: UInt8(7), count: 31)), ("long", Array(repeating: UInt8(7), count: 33))] {
                let path = try Self.keyFile(dir, name, bytes)
                #expect(throws: StartupError.self) { try AppPasswordKey.load(path: path) }
            }
            _ = FileManager.default.createFile(atPath: "\(dir)/text", contents: Data("not base64!\n".utf8), attributes: [.posixPermissions: 0o600])
            #expect { try AppPasswordKey.load(path: "\(dir)/text") } throws: { error in
                (error as? StartupError)?.message.contains("is not base64 of 32 bytes") == true
            }
        }
    }

    @Test func aSealedSecretOpensOnlyWithItsKeyAndForItsID() {
        let key = AppPasswordKey(secret: Array(repeating: 1, count: 32))
        let other = AppPasswordKey(secret: Array(repeating: 2, count: 32))
        let secret = Array("pstn_ap_abc".utf8)
        let (nonce, sealed) = key.seal(secret, id: "a1")
        #expect(!sealed.starts(with: secret) && sealed.count == secret.count + 16)
        #expect(key.open(sealed, nonce: nonce, id: "a1") == secret)
        #expect(key.open(sealed, nonce: nonce, id: "a2") == nil, "bound to its row")
        #expect(other.open(sealed, nonce: nonce, id: "a1") == nil)
        #expect(key.index(of: secret) == key.index(of: secret) && key.index(of: secret) != other.index(of: secret))
        #expect(key.index(of: secret).count == 64 && key.check != other.check)
        #expect(key.seal(secret, id: "a1").nonce != nonce, "a fresh nonce each time")
    }

    @Test func atStartTheKeyMustBeTheOneTheStoredAppPasswordsWereSealedWith() async throws {
        try await withTemporaryDirectory { dir in
            let store = try PasswordStore(directory: dir)
            let key = AppPasswordKey(secret: Array(repeating: 1, count: 32))
            let other = AppPasswordKey(secret: Array(repeating: 2, count: 32))
            // No app passwords: any key, or none, will do; the last one given is recorded.
            try await AppPasswordKeyCheck.atStartup(store: store, key: nil, path: "k")
            try await AppPasswordKeyCheck.atStartup(store: store, key: other, path: "k")
            try await AppPasswordKeyCheck.atStartup(store: store, key: key, path: "k")
            #expect(try await store.appPasswordKeyCheck() == key.check)

            let now = Date()
            try await store.insert(PasswordStoreTests.user("u1", "alice"))
            let secrets = AppPasswordSecrets(key: key, keyPath: "k")
            let (row, secret) = try secrets.make(userID: "u1", description: "", expiresUnixMilliseconds: 0, now: now)
            try await store.insert(row, keyCheck: key.check)
            #expect(try secrets.open(row) == secret)

            try await AppPasswordKeyCheck.atStartup(store: store, key: key, path: "k")
            await #expect(throws: StartupError.self) { try await AppPasswordKeyCheck.atStartup(store: store, key: other, path: "k") }
            await #expect(throws: StartupError.self) { try await AppPasswordKeyCheck.atStartup(store: store, key: nil, path: "k") }
            #expect(try await store.appPasswordKeyCheck() == key.check, "a refused key changes nothing")
        }
    }
}
