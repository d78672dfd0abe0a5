import CXCrypt

/// crypt(3) through libxcrypt's reentrant `crypt_r`: bcrypt (`$2b$`), sha512crypt (`$6$`),
/// yescrypt (`$y$`) and the rest libxcrypt knows.
public enum Crypt {
    /// `password` hashed with the method, parameters and salt of `setting` (a whole stored
    /// hash will do); nil when libxcrypt refuses the setting or the password holds a NUL byte
    /// (crypt(3) takes C strings).
    public static func hash(password: [UInt8], setting: String) -> String? {
        guard !password.contains(0) else { return nil }
        let data = UnsafeMutablePointer<crypt_data>.allocate(capacity: 1)
        defer {
            // The work area held the password: wipe it before giving it back.
            UnsafeMutableRawPointer(data).initializeMemory(as: UInt8.self, repeating: 0, count: MemoryLayout<crypt_data>.size)
            data.deallocate()
        }
        UnsafeMutableRawPointer(data).initializeMemory(as: UInt8.self, repeating: 0, count: MemoryLayout<crypt_data>.size)
        let terminated = password + [0]
        let result = terminated.withUnsafeBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) { chars in
                crypt_r(chars.baseAddress, setting, data)
            }
        }
        guard let result else { return nil }
        let hashed = String(cString: result)
        // libxcrypt's failure tokens start with "*".
        return hashed.hasPrefix("*") ? nil : hashed
    }

    /// Whether `password` hashes to exactly `encoded`, compared in constant time.
    public static func verify(password: [UInt8], encoded: String) -> Bool {
        guard let candidate = hash(password: password, setting: encoded) else { return false }
        return ConstantTime.equals(candidate, encoded)
    }
}
