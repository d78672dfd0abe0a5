import ArgumentParser
import PosternClient

/// The settings options of a `password` policy (docs/password-policies.md), a
/// `password_uniqueness` one (docs/password-uniqueness.md) and a `password_expiry` one
/// (docs/password-expiry.md), for `postern policy create|update`.
struct PasswordPolicyOptions: ParsableArguments {
    @Option(help: ArgumentHelp("password, password_uniqueness: the prompt field holding the new password (default password).", valueName: "key"))
    var passwordField: String?
    @Option(help: ArgumentHelp("password_uniqueness: how many earlier passwords to compare with, 0…1000 (default 1).", valueName: "n"))
    var numHistoricalPasswords: UInt32?
    @Option(help: ArgumentHelp("password_expiry: days after a change that a password expires, 1…36500.", valueName: "n"))
    var days: UInt32?
    @Option(help: ArgumentHelp("password_expiry: deny an expired password instead of marking it to change.", valueName: "true|false"))
    var denyOnly: Bool?
    @Option(help: ArgumentHelp("password: check the static rules (default true).", valueName: "true|false"))
    var checkStaticRules: Bool?
    @Option(help: ArgumentHelp("password: at least this many characters (code points).", valueName: "n")) var lengthMin: UInt32?
    @Option(help: ArgumentHelp("password: at most this many characters; 0 for no maximum.", valueName: "n")) var lengthMax: UInt32?
    @Option(help: ArgumentHelp("password: at least this many digits 0-9.", valueName: "n")) var amountDigits: UInt32?
    @Option(help: ArgumentHelp("password: at least this many lowercase letters a-z.", valueName: "n")) var amountLowercase: UInt32?
    @Option(help: ArgumentHelp("password: at least this many uppercase letters A-Z.", valueName: "n")) var amountUppercase: UInt32?
    @Option(help: ArgumentHelp("password: at least this many symbols.", valueName: "n")) var amountSymbols: UInt32?
    @Option(help: ArgumentHelp("password: the characters that count as symbols (empty: authentik's set).", valueName: "chars"))
    var symbolCharset: String?
    @Option(help: ArgumentHelp("password: the message when a static rule fails (empty: \"Invalid password.\").", valueName: "text"))
    var errorMessage: String?
    @Option(help: ArgumentHelp("password: refuse a password containing the user's username, name or email.", valueName: "true|false"))
    var similarToUser: Bool?

    var givesSettings: Bool { passwordField != nil || numHistoricalPasswords != nil || days != nil || denyOnly != nil || givesRules }

    /// Options only a password policy has.
    var givesRules: Bool {
        checkStaticRules != nil || lengthMin != nil || lengthMax != nil || amountDigits != nil
            || amountLowercase != nil || amountUppercase != nil || amountSymbols != nil || symbolCharset != nil
            || errorMessage != nil || similarToUser != nil
    }

    func apply(to policy: inout Postern.Policy.V1.Policy) throws {
        if policy.type == .passwordExpiry {
            guard !givesRules, passwordField == nil, numHistoricalPasswords == nil else {
                throw ValidationError("only --days and --deny-only are password_expiry settings")
            }
            var settings = policy.passwordExpiry ?? .init()
            if let days { settings.days = days }
            if let denyOnly { settings.denyOnly = denyOnly }
            policy.passwordExpiry = settings
            return
        }
        guard days == nil, denyOnly == nil else {
            throw ValidationError("--days and --deny-only are password_expiry settings; this is a \(policy.type.name) policy")
        }
        if policy.type == .passwordUniqueness {
            guard !givesRules else {
                throw ValidationError("--length-min and the other rule options are password settings; this is a password_uniqueness policy")
            }
            var settings = policy.passwordUniqueness ?? .init()
            if let passwordField { settings.passwordField = passwordField }
            if let numHistoricalPasswords { settings.numHistoricalPasswords = .init(value: numHistoricalPasswords) }
            policy.passwordUniqueness = settings
            return
        }
        guard numHistoricalPasswords == nil else {
            throw ValidationError("--num-historical-passwords is a password_uniqueness setting; this is a \(policy.type.name) policy")
        }
        guard givesSettings else { return }
        guard policy.type == .password else {
            throw ValidationError("--password-field, --length-min and the other rule options are password settings; this is a \(policy.type.name) policy")
        }
        var settings = policy.password ?? .init()
        if let passwordField { settings.passwordField = passwordField }
        if let checkStaticRules { settings.checkStaticRules = .init(on: checkStaticRules) }
        if let lengthMin { settings.lengthMin = lengthMin }
        if let lengthMax { settings.lengthMax = lengthMax }
        if let amountDigits { settings.amountDigits = amountDigits }
        if let amountLowercase { settings.amountLowercase = amountLowercase }
        if let amountUppercase { settings.amountUppercase = amountUppercase }
        if let amountSymbols { settings.amountSymbols = amountSymbols }
        if let symbolCharset { settings.symbolCharset = symbolCharset }
        if let errorMessage { settings.errorMessage = errorMessage }
        if let similarToUser { settings.similarToUser = similarToUser }
        policy.password = settings
    }
}
