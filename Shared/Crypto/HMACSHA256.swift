import COpenSSL

/// HMAC-SHA-256 (RFC 2104) through OpenSSL's one-shot `HMAC`.
public enum HMACSHA256 {
    public static func authenticationCode(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        key.withUnsafeBufferPointer { k in
            message.withUnsafeBufferPointer { m in
                _ = out.withUnsafeMutableBufferPointer { o in
                    HMAC(EVP_sha256(), k.baseAddress, Int32(k.count), m.baseAddress, m.count, o.baseAddress, &length)
                }
            }
        }
        precondition(length == 32, "HMAC-SHA-256 failed")
        return out
    }

    /// HMAC-SHA-256 under one key used for many messages, on a hot path (an app-password
    /// login). OpenSSL 3's one-shot `HMAC` looks the MAC and the digest up in its provider
    /// store and hashes the key on every call: 28 µs with cold caches here. This keeps the two
    /// SHA-256 states already fed the padded key (RFC 2104's inner and outer blocks) as plain
    /// `SHA256_CTX` values and copies them per message: no lookup, no allocation, no lock
    /// (docs/app-passwords.md). OpenSSL 3 deprecates `SHA256_CTX` but keeps it.
    public struct Keyed: Sendable {
        private static let blockSize = 64
        /// SHA-256 after (key ⊕ ipad) and after (key ⊕ opad); only ever copied.
        private let inner: SHA256_CTX
        private let outer: SHA256_CTX

        public init(key: [UInt8]) {
            // RFC 2104: a key longer than a block is hashed first; a shorter one padded with zeros.
            var block = key.count > Self.blockSize ? SHA256.digest(key) : key
            block += [UInt8](repeating: 0, count: Self.blockSize - block.count)
            func state(_ pad: UInt8) -> SHA256_CTX {
                var context = SHA256_CTX()
                let padded = block.map { $0 ^ pad }
                let ok = SHA256_Init(&context) == 1 && SHA256_Update(&context, padded, padded.count) == 1
                precondition(ok, "SHA-256 failed")
                return context
            }
            inner = state(0x36)
            outer = state(0x5c)
        }

        public func authenticationCode(_ message: [UInt8]) -> [UInt8] {
            var innerWork = inner
            var outerWork = outer
            var innerDigest = [UInt8](repeating: 0, count: 32)
            var out = [UInt8](repeating: 0, count: 32)
            let ok = message.withUnsafeBufferPointer { SHA256_Update(&innerWork, $0.baseAddress, $0.count) } == 1
                && SHA256_Final(&innerDigest, &innerWork) == 1
                && SHA256_Update(&outerWork, innerDigest, innerDigest.count) == 1
                && SHA256_Final(&out, &outerWork) == 1
            precondition(ok, "HMAC-SHA-256 failed")
            return out
        }
    }
}
