import COpenSSL
import Synchronization

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
    /// store and hashes the key on every call: 28 µs with cold caches here, against 4 µs for
    /// this, which keeps SHA-256 states already fed the padded key (RFC 2104's inner and outer
    /// blocks) and copies them per message (docs/app-passwords.md).
    public final class Keyed: @unchecked Sendable {
        private static let blockSize = 64
        /// SHA-256 after (key ⊕ ipad) and after (key ⊕ opad); only ever copied, under `lock`.
        private let inner: OpaquePointer
        private let outer: OpaquePointer
        private let lock = Mutex<Void>(())

        public init(key: [UInt8]) {
            guard let digest = EVP_MD_fetch(nil, "SHA256", nil) else { fatalError("OpenSSL has no SHA-256") }
            defer { EVP_MD_free(digest) }
            // RFC 2104: a key longer than a block is hashed first; a shorter one padded with zeros.
            var block = key.count > Self.blockSize ? SHA256.digest(key) : key
            block += [UInt8](repeating: 0, count: Self.blockSize - block.count)
            func state(_ pad: UInt8) -> OpaquePointer {
                guard let context = EVP_MD_CTX_new() else { fatalError("out of memory") }
                let padded = block.map { $0 ^ pad }
                let ok = EVP_DigestInit_ex(context, digest, nil) == 1
                    && padded.withUnsafeBufferPointer { EVP_DigestUpdate(context, $0.baseAddress, $0.count) } == 1
                precondition(ok, "SHA-256 failed")
                return context
            }
            inner = state(0x36)
            outer = state(0x5c)
        }

        deinit {
            EVP_MD_CTX_free(inner)
            EVP_MD_CTX_free(outer)
        }

        public func authenticationCode(_ message: [UInt8]) -> [UInt8] {
            guard let innerWork = EVP_MD_CTX_new(), let outerWork = EVP_MD_CTX_new() else { fatalError("out of memory") }
            defer {
                EVP_MD_CTX_free(innerWork)
                EVP_MD_CTX_free(outerWork)
            }
            let copied = lock.withLock { _ in
                EVP_MD_CTX_copy_ex(innerWork, inner) == 1 && EVP_MD_CTX_copy_ex(outerWork, outer) == 1
            }
            var innerDigest = [UInt8](repeating: 0, count: 32)
            var out = [UInt8](repeating: 0, count: 32)
            var length: UInt32 = 0
            let ok = copied
                && message.withUnsafeBufferPointer { EVP_DigestUpdate(innerWork, $0.baseAddress, $0.count) } == 1
                && EVP_DigestFinal_ex(innerWork, &innerDigest, &length) == 1
                && EVP_DigestUpdate(outerWork, innerDigest, innerDigest.count) == 1
                && EVP_DigestFinal_ex(outerWork, &out, &length) == 1
            precondition(ok && length == 32, "HMAC-SHA-256 failed")
            return out
        }
    }
}
