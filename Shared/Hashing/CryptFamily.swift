import PosternCrypto

/// crypt(3) strings libxcrypt verifies: bcrypt (`$2b$`, `$2a$`, `$2y$`), sha512crypt (`$6$`)
/// and yescrypt (`$y$`), as /etc/shadow holds them.
struct CryptFamily: PasswordHashFamily {
    static let maximumBcryptCost = 18
    static let maximumSHA512Rounds = 10_000_000

    enum Method: String, CaseIterable {
        case bcrypt, sha512crypt, yescrypt
    }

    let method: Method
    var name: String { method.rawValue }

    func claims(_ encoded: String) -> Bool {
        switch method {
        case .bcrypt: ["$2b$", "$2a$", "$2y$"].contains { encoded.hasPrefix($0) }
        case .sha512crypt: encoded.hasPrefix("$6$")
        case .yescrypt: encoded.hasPrefix("$y$")
        }
    }

    func validate(_ encoded: String) throws(HashFormatError) {
        let parts = encoded.split(separator: "$", omittingEmptySubsequences: false)
        switch method {
        case .bcrypt:
            // $2b$12$ + 22 characters of salt + 31 of hash
            guard parts.count == 4, let cost = Int(parts[2]), parts[2].count == 2, parts[3].count == 53 else {
                throw HashFormatError("bcrypt: expected $2b$<cost>$<53 characters>")
            }
            guard (4...Self.maximumBcryptCost).contains(cost) else {
                throw HashFormatError("bcrypt: the cost must be 4…\(Self.maximumBcryptCost)")
            }
        case .sha512crypt:
            guard parts.count == 4 || parts.count == 5 else {
                throw HashFormatError("sha512crypt: expected $6$[rounds=N$]<salt>$<hash>")
            }
            if parts.count == 5 {
                guard parts[2].hasPrefix("rounds="), let rounds = Int(parts[2].dropFirst(7)),
                      rounds <= Self.maximumSHA512Rounds
                else { throw HashFormatError("sha512crypt: rounds must be at most \(Self.maximumSHA512Rounds)") }
            }
            guard parts.last?.count == 86 else { throw HashFormatError("sha512crypt: the hash is not 86 characters") }
        case .yescrypt:
            guard parts.count == 5, !parts[2].isEmpty, !parts[4].isEmpty else {
                throw HashFormatError("yescrypt: expected $y$<parameters>$<salt>$<hash>")
            }
        }
        // crypt(3)'s base64 alphabet, plus the separators and sha512crypt's "rounds=".
        let allowed = Set("./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz$=")
        guard encoded.allSatisfy(allowed.contains) else {
            throw HashFormatError("\(name): characters outside crypt(3)'s alphabet")
        }
    }

    func verify(_ password: [UInt8], against encoded: String) -> Bool {
        Crypt.verify(password: password, encoded: encoded)
    }
}
