import COpenSSL

/// Comparisons of secrets that take the same time wherever the first difference is.
public enum ConstantTime {
    /// Whether `a` and `b` are equal; the time depends only on their lengths.
    public static func equals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        guard !a.isEmpty else { return true }
        return a.withUnsafeBytes { x in b.withUnsafeBytes { y in CRYPTO_memcmp(x.baseAddress, y.baseAddress, a.count) } } == 0
    }

    /// Whether two encoded strings are equal, compared as UTF-8 bytes.
    public static func equals(_ a: String, _ b: String) -> Bool {
        equals(Array(a.utf8), Array(b.utf8))
    }
}
