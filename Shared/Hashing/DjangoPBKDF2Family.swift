import Foundation
import PosternCrypto

/// Django's `pbkdf2_sha256$<iterations>$<salt>$<base64 key>` and `pbkdf2_sha1$…`: PBKDF2-HMAC
/// of the UTF-8 password with the ASCII salt, a key as long as the digest
///. Also Postern's own format when PBKDF2 is chosen.
struct DjangoPBKDF2Family: PasswordHashFamily {
    static let maximumIterations = 10_000_000

    let digest: PBKDF2.Digest
    var name: String { digest == .sha256 ? "pbkdf2_sha256" : "pbkdf2_sha1" }

    struct Parsed {
        var iterations: Int
        var salt: String
        var key: [UInt8]
    }

    func claims(_ encoded: String) -> Bool { encoded.hasPrefix(name + "$") }

    func parse(_ encoded: String) throws(HashFormatError) -> Parsed {
        let parts = encoded.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == name else {
            throw HashFormatError("\(name): expected \(name)$<iterations>$<salt>$<hash>")
        }
        guard let iterations = Int(parts[1]), (1...Self.maximumIterations).contains(iterations) else {
            throw HashFormatError("\(name): iterations must be 1…\(Self.maximumIterations)")
        }
        guard !parts[2].isEmpty else { throw HashFormatError("\(name): the salt is empty") }
        guard let key = Data(base64Encoded: String(parts[3])), key.count == digest.size else {
            throw HashFormatError("\(name): the hash is not \(digest.size) bytes of base64")
        }
        return Parsed(iterations: iterations, salt: String(parts[2]), key: Array(key))
    }

    func validate(_ encoded: String) throws(HashFormatError) { _ = try parse(encoded) }

    func verify(_ password: [UInt8], against encoded: String) -> Bool {
        guard let parsed = try? parse(encoded) else { return false }
        let key = PBKDF2.derive(password: password, salt: Array(parsed.salt.utf8), iterations: parsed.iterations, digest: digest)
        return ConstantTime.equals(key, parsed.key)
    }

    /// A new hash in Django's format, with a 22-character salt as Django makes them.
    func encode(_ password: [UInt8], iterations: Int) -> String {
        let salt = SecureRandom.alphanumeric(22)
        let key = PBKDF2.derive(password: password, salt: Array(salt.utf8), iterations: iterations, digest: digest)
        return "\(name)$\(iterations)$\(salt)$\(Data(key).base64EncodedString())"
    }
}
