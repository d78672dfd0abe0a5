import Foundation
import PosternCrypto
import PosternDaemon
import PosternRPC
import PosternWire

/// The operator's app-password key: 32 random bytes, base64 on one line of a file only the
/// daemon reads (systemd's `LoadCredential=`; `scripts/run` makes a development one). Two keys
/// are derived from it, so one secret never serves two purposes: one encrypts app passwords
/// (AES-256-GCM), one makes their lookup index (HMAC-SHA-256). docs/app-passwords.md.
public struct AppPasswordKey: Sendable {
    /// How an operator makes one.
    public static let howToCreate = SecretKeyFile.howToCreate

    let encryptionKey: [UInt8]
    let indexKey: HMACSHA256.Keyed

    public init(secret: [UInt8]) {
        precondition(secret.count == 32, "an app-password key is 32 bytes")
        encryptionKey = HMACSHA256.authenticationCode(key: secret, message: Array("postern app-password encryption v1".utf8))
        indexKey = HMACSHA256.Keyed(key: HMACSHA256.authenticationCode(key: secret, message: Array("postern app-password index v1".utf8)))
    }

    /// The key in the file at `path`; nil when there is no such file. A file that is there but
    /// unreadable, not base64 of 32 bytes, or open to others (`SecretKeyFile.load`) keeps the
    /// daemon from starting, with the reason.
    public static func load(path: String, insecurePermissionsOK: Bool = false) throws(StartupError) -> AppPasswordKey? {
        try SecretKeyFile.load(path: path, what: "the app-password key", insecurePermissionsOK: insecurePermissionsOK)
            .map(AppPasswordKey.init(secret:))
    }

    /// The lookup index of an app password: HMAC-SHA-256 under the index key, in hex.
    func index(of secret: [UInt8]) -> String {
        Hex.lowercase(indexKey.authenticationCode(secret))
    }

    /// What the store keeps to tell this key from another without holding it: the index of a
    /// fixed text.
    var check: String { index(of: Array("postern app-password key check v1".utf8)) }

    /// `secret` sealed with a fresh random nonce, bound to the app password's id.
    func seal(_ secret: [UInt8], id: String) -> (nonce: [UInt8], sealed: [UInt8]) {
        let nonce = SecureRandom.bytes(AES256GCM.nonceLength)
        return (nonce, AES256GCM.seal(secret, key: encryptionKey, nonce: nonce, associatedData: Array(id.utf8)))
    }

    /// The secret sealed for `id`; nil when it was sealed under another key or for another id.
    func open(_ sealed: [UInt8], nonce: [UInt8], id: String) -> [UInt8]? {
        AES256GCM.open(sealed, key: encryptionKey, nonce: nonce, associatedData: Array(id.utf8))
    }
}
