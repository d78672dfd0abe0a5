import Foundation
import PosternCrypto

/// Django's `scrypt$<n>$<salt>$<r>$<p>$<base64 key>`: a 64-byte scrypt key of the UTF-8
/// password with the ASCII salt.
struct DjangoScryptFamily: PasswordHashFamily {
    static let maximumN: UInt64 = 1 << 20
    static let maximumR: UInt64 = 32
    static let maximumP: UInt64 = 16

    var name: String { "scrypt" }

    struct Parsed {
        var n: UInt64, r: UInt64, p: UInt64
        var salt: String
        var key: [UInt8]
    }

    func claims(_ encoded: String) -> Bool { encoded.hasPrefix("scrypt$") }

    func parse(_ encoded: String) throws(HashFormatError) -> Parsed {
        let parts = encoded.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 6 else { throw HashFormatError("scrypt: expected scrypt$<n>$<salt>$<r>$<p>$<hash>") }
        guard let n = UInt64(parts[1]), let r = UInt64(parts[3]), let p = UInt64(parts[4]),
              n > 1, n <= Self.maximumN, n & (n - 1) == 0, (1...Self.maximumR).contains(r), (1...Self.maximumP).contains(p)
        else {
            throw HashFormatError(
                "scrypt: n must be a power of 2 up to \(Self.maximumN), r 1…\(Self.maximumR), p 1…\(Self.maximumP)")
        }
        // scrypt's memory is 128 × r × n bytes: at most 1 GiB.
        guard 128 * r * n <= 1 << 30 else { throw HashFormatError("scrypt: 128 × r × n exceeds 1 GiB of memory") }
        guard !parts[2].isEmpty else { throw HashFormatError("scrypt: the salt is empty") }
        guard let key = Data(base64Encoded: String(parts[5])), !key.isEmpty else {
            throw HashFormatError("scrypt: the hash is not base64")
        }
        return Parsed(n: n, r: r, p: p, salt: String(parts[2]), key: Array(key))
    }

    func validate(_ encoded: String) throws(HashFormatError) { _ = try parse(encoded) }

    func verify(_ password: [UInt8], against encoded: String) -> Bool {
        guard let parsed = try? parse(encoded),
              let key = Scrypt.derive(
                password: password, salt: Array(parsed.salt.utf8), n: parsed.n, r: parsed.r, p: parsed.p,
                length: parsed.key.count, maximumMemory: 128 * parsed.r * (parsed.n + parsed.p) + (16 << 20))
        else { return false }
        return ConstantTime.equals(key, parsed.key)
    }
}
