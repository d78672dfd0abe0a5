import CArgon2
import CArgon2Memory

/// Argon2 (RFC 9106) through libargon2, in its PHC string encoding (Argon2PHC).
///
/// libargon2 hashes here with its working memory from CArgon2Memory: one block per thread,
/// kept between hashes and backed by huge pages where the kernel allows, instead of a fresh
/// 19 MiB malloc per hash (docs/hashing.md). libargon2 wipes the block after every hash.
public enum Argon2 {
    public enum Variant: String, Sendable, CaseIterable {
        case id = "argon2id", i = "argon2i", d = "argon2d"

        var c: argon2_type {
            switch self {
            case .id: Argon2_id
            case .i: Argon2_i
            case .d: Argon2_d
            }
        }
    }

    public struct Parameters: Sendable, Equatable {
        public var variant: Variant
        public var memoryKiB: UInt32
        public var iterations: UInt32
        public var parallelism: UInt32
        public var hashLength: Int

        public init(variant: Variant = .id, memoryKiB: UInt32, iterations: UInt32, parallelism: UInt32, hashLength: Int = 32) {
            self.variant = variant
            self.memoryKiB = memoryKiB
            self.iterations = iterations
            self.parallelism = parallelism
            self.hashLength = hashLength
        }
    }

    /// The raw hash of `password` with `salt`; nil when libargon2 refuses the inputs (memory
    /// below 8 × parallelism KiB, a salt shorter than 8 bytes, say) or cannot get the memory.
    public static func hash(
        password: [UInt8], salt: [UInt8], parameters: Parameters, version: UInt32 = Argon2PHC.version13
    ) -> [UInt8]? {
        guard parameters.hashLength >= 4, parameters.hashLength <= 4096 else { return nil }
        var output = [UInt8](repeating: 0, count: parameters.hashLength)
        var password = password
        var salt = salt
        let status = output.withUnsafeMutableBufferPointer { out in
            password.withUnsafeMutableBufferPointer { pwd in
                salt.withUnsafeMutableBufferPointer { saltBytes in
                    var context = argon2_context()
                    context.out = out.baseAddress
                    context.outlen = UInt32(out.count)
                    context.pwd = pwd.baseAddress
                    context.pwdlen = UInt32(pwd.count)
                    context.salt = saltBytes.baseAddress
                    context.saltlen = UInt32(saltBytes.count)
                    context.t_cost = parameters.iterations
                    context.m_cost = parameters.memoryKiB
                    context.lanes = parameters.parallelism
                    context.threads = parameters.parallelism
                    context.version = version
                    context.allocate_cbk = postern_argon2_allocate
                    context.free_cbk = postern_argon2_free
                    context.flags = 1  // ARGON2_FLAG_CLEAR_PASSWORD: wipe this copy of the password
                    return argon2_ctx(&context, parameters.variant.c)
                }
            }
        }
        return status == ARGON2_OK.rawValue ? output : nil
    }

    /// The PHC string of `password` under `parameters` with `salt`; nil when libargon2 refuses.
    public static func encode(password: [UInt8], salt: [UInt8], parameters: Parameters) -> String? {
        guard let hash = hash(password: password, salt: salt, parameters: parameters) else { return nil }
        return Argon2PHC(parameters: parameters, salt: salt, hash: hash).encoded
    }

    /// Whether `password` matches `phc`, compared in constant time.
    public static func verify(password: [UInt8], phc: Argon2PHC) -> Bool {
        guard let computed = hash(password: password, salt: phc.salt, parameters: phc.parameters, version: phc.version)
        else { return false }
        return ConstantTime.equals(computed, phc.hash)
    }

    /// Whether `password` matches the PHC string `encoded`; false for one that does not parse.
    public static func verify(password: [UInt8], encoded: String) -> Bool {
        guard let phc = try? Argon2PHC(parsing: encoded) else { return false }
        return verify(password: password, phc: phc)
    }

    /// The bytes of Argon2 working memory the calling thread keeps between hashes.
    public static var keptMemoryBytes: Int { postern_argon2_kept_bytes() }
}
