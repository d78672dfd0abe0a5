import PosternCrypto

/// Django's `bcrypt_sha256$$2b$…` (bcrypt of the lowercase hex SHA-256 of the password, so
/// long passwords are not cut at 72 bytes) and `bcrypt$$2b$…` (bcrypt of the password itself).
struct DjangoBcryptFamily: PasswordHashFamily {
    let prehashed: Bool
    var name: String { prehashed ? "bcrypt_sha256" : "bcrypt" }
    private var prefix: String { name + "$" }
    private let inner = CryptFamily(method: .bcrypt)

    func claims(_ encoded: String) -> Bool { encoded.hasPrefix(prefix + "$2") }

    func validate(_ encoded: String) throws(HashFormatError) {
        do {
            try inner.validate(String(encoded.dropFirst(prefix.count)))
        } catch {
            throw HashFormatError("\(name): \(error.message)")
        }
    }

    func verify(_ password: [UInt8], against encoded: String) -> Bool {
        let input = prehashed ? Array(SHA256.hex(password).utf8) : password
        return inner.verify(input, against: String(encoded.dropFirst(prefix.count)))
    }
}
