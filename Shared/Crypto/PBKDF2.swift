import COpenSSL

/// PBKDF2-HMAC (RFC 8018) through OpenSSL.
public enum PBKDF2 {
    public enum Digest: Sendable {
        case sha256, sha1

        /// The digest's size: the key length Django uses.
        public var size: Int {
            switch self {
            case .sha256: 32
            case .sha1: 20
            }
        }

        fileprivate var evp: OpaquePointer? {
            switch self {
            case .sha256: EVP_sha256()
            case .sha1: EVP_sha1()
            }
        }
    }

    /// The derived key of `length` bytes (the digest's size unless told).
    public static func derive(
        password: [UInt8], salt: [UInt8], iterations: Int, digest: Digest, length: Int? = nil
    ) -> [UInt8] {
        let length = length ?? digest.size
        precondition(iterations > 0 && iterations <= Int32.max && length > 0)
        return [UInt8](unsafeUninitializedCapacity: length) { key, initialized in
            let ok = password.withUnsafeBufferPointer { passwordBytes in
                salt.withUnsafeBufferPointer { saltBytes in
                    passwordBytes.withMemoryRebound(to: CChar.self) { passwordChars in
                        PKCS5_PBKDF2_HMAC(
                            passwordChars.baseAddress, Int32(password.count), saltBytes.baseAddress,
                            Int32(salt.count), Int32(iterations), digest.evp, Int32(length), key.baseAddress)
                    }
                }
            }
            precondition(ok == 1, "PKCS5_PBKDF2_HMAC failed")
            initialized = length
        }
    }
}
