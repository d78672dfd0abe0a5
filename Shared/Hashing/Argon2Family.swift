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

    /// The PHC string `encoded` holds, within the bounds a login may cost.
    func phc(_ encoded: String) throws(HashFormatError) -> Argon2PHC {
        let phc: Argon2PHC
        do {
            phc = try Argon2PHC(parsing: phcString(encoded))
        } catch {
            throw HashFormatError("\(name): \(error.reason)")
        }
        let (m, t, p) = (phc.parameters.memoryKiB, phc.parameters.iterations, phc.parameters.parallelism)
        guard m <= Self.maximumMemoryKiB, (1...Self.maximumIterations).contains(t), (1...Self.maximumParallelism).contains(p) else {
            throw HashFormatError(
                "\(name): parameters out of bounds (m ≤ \(Self.maximumMemoryKiB) KiB, t 1…\(Self.maximumIterations), p 1…\(Self.maximumParallelism))")
        }
        return phc
    }

    /// The parameters a PHC string names.
    func parameters(_ encoded: String) throws(HashFormatError) -> Argon2.Parameters { try phc(encoded).parameters }

    func validate(_ encoded: String) throws(HashFormatError) { _ = try parameters(encoded) }

    func verify(_ password: [UInt8], against encoded: String) -> Bool {
        guard let phc = try? phc(encoded) else { return false }
        return Argon2.verify(password: password, phc: phc)
    }

    /// A new PHC string with a 16-byte random salt.
    static func encode(_ password: [UInt8], parameters: Argon2.Parameters) -> String? {
        Argon2.encode(password: password, salt: SecureRandom.bytes(16), parameters: parameters)
    }
}
