import COpenSSL

/// scrypt (RFC 7914) through OpenSSL.
public enum Scrypt {
    /// The derived key, or nil when the parameters are out of what OpenSSL accepts or need
    /// more than `maximumMemory` bytes (a hostile stored hash must not exhaust memory).
    public static func derive(
        password: [UInt8], salt: [UInt8], n: UInt64, r: UInt64, p: UInt64, length: Int,
        maximumMemory: UInt64 = 256 << 20
    ) -> [UInt8]? {
        guard length > 0 else { return nil }
        var key = [UInt8](repeating: 0, count: length)
        let ok = password.withUnsafeBufferPointer { passwordBytes in
            salt.withUnsafeBufferPointer { saltBytes in
                passwordBytes.withMemoryRebound(to: CChar.self) { passwordChars in
                    key.withUnsafeMutableBufferPointer { keyBytes in
                        EVP_PBE_scrypt(
                            passwordChars.baseAddress, password.count, saltBytes.baseAddress, salt.count,
                            n, r, p, maximumMemory, keyBytes.baseAddress, length)
                    }
                }
            }
        }
        return ok == 1 ? key : nil
    }
}
