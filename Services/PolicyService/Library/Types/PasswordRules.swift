/// A password policy's rules, checked against a candidate password (docs/password-policies.md):
/// authentik's static rules in authentik's order — length, digits, lowercase, uppercase,
/// symbols; the first that fails decides — then Postern's maximum length, then the check that
/// the password does not contain the user's names.
struct PasswordRules: Sendable {
    /// authentik's default symbol set, with the backslash once (authentik's has it twice, a
    /// raw-string slip that counts every backslash as two symbols).
    static let defaultSymbols = ##" !"#$%&'()*+,-./:;<=>?@[\]^_`{|}~"##
    static let defaultErrorMessage = "Invalid password."
    static let similarMessage = "Password must not contain your username, name or email address."
    /// Parts of a user's names shorter than this are not looked for.
    static let similarPartMinimum = 4

    var checkStaticRules = true
    var lengthMin = 0
    /// 0: no maximum.
    var lengthMax = 0
    var digits = 0
    var lowercase = 0
    var uppercase = 0
    var symbols = 0
    var symbolSet: Set<Unicode.Scalar> = Set(defaultSymbols.unicodeScalars)
    var errorMessage = defaultErrorMessage
    var similarToUser = false

    /// The message of the first rule `password` breaks, or nil when it keeps them all.
    func problem(_ password: String, user: ContextUser?) -> String? {
        if checkStaticRules, breaksStaticRule(password) { return errorMessage }
        if similarToUser, let user, contains(password, partsOf: user) { return Self.similarMessage }
        return nil
    }

    private func breaksStaticRule(_ password: String) -> Bool {
        var length = 0
        var counted = (digits: 0, lowercase: 0, uppercase: 0, symbols: 0)
        for scalar in password.unicodeScalars {
            length += 1
            switch scalar.value {
            case 0x30...0x39: counted.digits += 1
            case 0x61...0x7A: counted.lowercase += 1
            case 0x41...0x5A: counted.uppercase += 1
            default: break
            }
            if symbolSet.contains(scalar) { counted.symbols += 1 }
        }
        return length < lengthMin || counted.digits < digits || counted.lowercase < lowercase
            || counted.uppercase < uppercase || counted.symbols < symbols || (lengthMax > 0 && length > lengthMax)
    }

    /// Whether `password`, lowercased, contains the user's username, name, a word of their
    /// name, or their email's local part, lowercased, each of at least `similarPartMinimum`
    /// characters.
    private func contains(_ password: String, partsOf user: ContextUser) -> Bool {
        var parts: [String] = []
        if let username = user.username { parts.append(username) }
        if let name = user.name {
            parts.append(name)
            parts += name.split(whereSeparator: { $0.isWhitespace || $0 == "-" || $0 == "." }).map(String.init)
        }
        if let email = user.email, let at = email.lastIndex(of: "@") { parts.append(String(email[..<at])) }
        let lowered = password.lowercased()
        return parts.contains { part in
            part.unicodeScalars.count >= Self.similarPartMinimum && lowered.contains(part.lowercased())
        }
    }
}
