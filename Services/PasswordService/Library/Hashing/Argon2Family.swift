import Foundation
import PosternCrypto

/// Argon2 in its PHC string, `$argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash>`:
/// crypt(3)'s form and Postern's own default; with `djangoPrefix`, Django's `argon2$` + the PHC
/// string. Older Django hashes without `v=` and the argon2i/argon2d variants verify too.
struct Argon2Family: PasswordHashFamily {
    static let maximumMemoryKiB: UInt32 = 1 << 20  // 1 GiB
    static let maximumIterations: UInt32 = 64
    static let maximumParallelism: UInt32 = 64

    /// "argon2" for Django's form; "" for the bare PHC string.
    let djangoPrefix: String
    var name: String { djangoPrefix.isEmpty ? "argon2 (PHC)" : "argon2 (Django)" }

    func claims(_ encoded: String) -> Bool {
        let phc = phcString(encoded)
        return encoded.hasPrefix(djangoPrefix + "$argon2") && Argon2.Variant.allCases.contains { phc.hasPrefix("$\($0.rawValue)$") }
    }

    private func phcString(_ encoded: String) -> String { String(encoded.dropFirst(djangoPrefix.count)) }

    /// The parameters a PHC string names.
    func parameters(_ encoded: String) throws(HashFormatError) -> Argon2.Parameters {
        let parts = phcString(encoded).split(separator: "$", omittingEmptySubsequences: false)
        // "", variant, [v=19,] m=…,t=…,p=…, salt, hash
        guard parts.count == 5 || parts.count == 6, parts[0].isEmpty,
              let variant = Argon2.Variant(rawValue: String(parts[1]))
        else { throw HashFormatError("\(name): expected $argon2id$v=19$m=…,t=…,p=…$<salt>$<hash>") }
        if parts.count == 6 && parts[2] != "v=19" && parts[2] != "v=16" {
            throw HashFormatError("\(name): unknown version \(parts[2])")
        }
        var values: [Substring: UInt32] = [:]
        for pair in parts[parts.count - 3].split(separator: ",") {
            let keyValue = pair.split(separator: "=", maxSplits: 1)
            guard keyValue.count == 2, let value = UInt32(keyValue[1]) else {
                throw HashFormatError("\(name): parameters must be m=…,t=…,p=…")
            }
            values[keyValue[0]] = value
        }
        guard let m = values["m"], let t = values["t"], let p = values["p"], values.count == 3 else {
            throw HashFormatError("\(name): parameters must be m=…,t=…,p=…")
        }
        guard m <= Self.maximumMemoryKiB, (1...Self.maximumIterations).contains(t), (1...Self.maximumParallelism).contains(p) else {
            throw HashFormatError(
                "\(name): parameters out of bounds (m ≤ \(Self.maximumMemoryKiB) KiB, t 1…\(Self.maximumIterations), p 1…\(Self.maximumParallelism))")
        }
        let hash = Self.unpaddedBase64(parts[parts.count - 1])
        guard Self.unpaddedBase64(parts[parts.count - 2]) != nil, let hash, hash.count >= 4 else {
            throw HashFormatError("\(name): the salt or hash is not base64")
        }
        return Argon2.Parameters(variant: variant, memoryKiB: m, iterations: t, parallelism: p, hashLength: hash.count)
    }

    func validate(_ encoded: String) throws(HashFormatError) { _ = try parameters(encoded) }

    func verify(_ password: [UInt8], against encoded: String) -> Bool {
        guard (try? parameters(encoded)) != nil else { return false }
        return Argon2.verify(password: password, encoded: phcString(encoded))
    }

    /// A new PHC string with a 16-byte random salt.
    static func encode(_ password: [UInt8], parameters: Argon2.Parameters) -> String? {
        Argon2.encode(password: password, salt: SecureRandom.bytes(16), parameters: parameters)
    }

    private static func unpaddedBase64(_ text: Substring) -> Data? {
        var padded = String(text)
        padded += String(repeating: "=", count: (4 - padded.count % 4) % 4)
        return Data(base64Encoded: padded)
    }
}
