import COpenSSL

/// SHA-256 through OpenSSL.
public enum SHA256 {
    public static func digest(_ bytes: [UInt8]) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: 32) { out, initialized in
            _ = bytes.withUnsafeBufferPointer { COpenSSL.SHA256($0.baseAddress, bytes.count, out.baseAddress) }
            initialized = 32
        }
    }

    /// The digest in lowercase hexadecimal (64 characters).
    public static func hex(_ bytes: [UInt8]) -> String {
        Hex.lowercase(digest(bytes))
    }
}
