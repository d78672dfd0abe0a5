import COpenSSL

/// AES-256-GCM (NIST SP 800-38D) through OpenSSL's EVP interface: a 32-byte key, a 12-byte
/// nonce that must never repeat under one key (callers take a random one per message), a
/// 16-byte tag. Sealed form: ciphertext followed by the tag.
public enum AES256GCM {
    public static let keyLength = 32
    public static let nonceLength = 12
    public static let tagLength = 16

    /// `plaintext` encrypted and authenticated together with `associatedData`.
    public static func seal(_ plaintext: [UInt8], key: [UInt8], nonce: [UInt8], associatedData: [UInt8] = []) -> [UInt8] {
        precondition(key.count == keyLength && nonce.count == nonceLength, "AES-256-GCM needs a 32-byte key and a 12-byte nonce")
        guard let context = EVP_CIPHER_CTX_new() else { fatalError("EVP_CIPHER_CTX_new failed") }
        defer { EVP_CIPHER_CTX_free(context) }
        var out = [UInt8](repeating: 0, count: plaintext.count + tagLength)
        var length: Int32 = 0
        let ok = out.withUnsafeMutableBufferPointer { o -> Bool in
            guard EVP_EncryptInit_ex(context, EVP_aes_256_gcm(), nil, key, nonce) == 1,
                  associatedData.isEmpty
                    || EVP_EncryptUpdate(context, nil, &length, associatedData, Int32(associatedData.count)) == 1,
                  plaintext.isEmpty || EVP_EncryptUpdate(context, o.baseAddress, &length, plaintext, Int32(plaintext.count)) == 1,
                  EVP_EncryptFinal_ex(context, o.baseAddress! + plaintext.count, &length) == 1
            else { return false }
            return EVP_CIPHER_CTX_ctrl(
                context, EVP_CTRL_GCM_GET_TAG, Int32(tagLength), o.baseAddress! + plaintext.count) == 1
        }
        precondition(ok, "AES-256-GCM encryption failed")
        return out
    }

    /// The plaintext of `sealed`, or nil when the key, nonce, associated data or any byte of
    /// it is not what was sealed.
    public static func open(_ sealed: [UInt8], key: [UInt8], nonce: [UInt8], associatedData: [UInt8] = []) -> [UInt8]? {
        guard key.count == keyLength, nonce.count == nonceLength, sealed.count >= tagLength else { return nil }
        guard let context = EVP_CIPHER_CTX_new() else { return nil }
        defer { EVP_CIPHER_CTX_free(context) }
        let textLength = sealed.count - tagLength
        var plaintext = [UInt8](repeating: 0, count: max(textLength, 1))
        var tag = Array(sealed[textLength...])
        var length: Int32 = 0
        let ok = plaintext.withUnsafeMutableBufferPointer { p -> Bool in
            sealed.withUnsafeBufferPointer { s -> Bool in
                guard EVP_DecryptInit_ex(context, EVP_aes_256_gcm(), nil, key, nonce) == 1,
                      associatedData.isEmpty
                        || EVP_DecryptUpdate(context, nil, &length, associatedData, Int32(associatedData.count)) == 1,
                      textLength == 0 || EVP_DecryptUpdate(context, p.baseAddress, &length, s.baseAddress, Int32(textLength)) == 1,
                      EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_TAG, Int32(tagLength), &tag) == 1
                else { return false }
                return EVP_DecryptFinal_ex(context, p.baseAddress! + textLength, &length) == 1
            }
        }
        guard ok else { return nil }
        return Array(plaintext.prefix(textLength))
    }
}
