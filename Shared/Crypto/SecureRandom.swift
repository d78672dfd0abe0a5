import COpenSSL

/// Bytes from OpenSSL's CSPRNG (seeded by the kernel).
public enum SecureRandom {
    public static func bytes(_ count: Int) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            precondition(RAND_bytes(buffer.baseAddress, Int32(count)) == 1, "RAND_bytes failed")
            initialized = count
        }
    }

    /// `count` characters drawn uniformly from `[a-zA-Z0-9]`, as Django's salts are.
    public static func alphanumeric(_ count: Int) -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".utf8)
        var result: [UInt8] = []
        result.reserveCapacity(count)
        while result.count < count {
            // Rejection sampling: 248 = 4 × 62, so every character is equally likely.
            for byte in bytes(count) where byte < 248 && result.count < count {
                result.append(alphabet[Int(byte) % 62])
            }
        }
        return String(decoding: result, as: UTF8.self)
    }
}
