import PosternProtocol
import PosternRPC

/// authentik's password policy (docs/password-policies.md): the new password, found in the
/// context as authentik finds it, checked against static rules; a failure gives the policy's
/// error message. Answers at once.
final class PasswordPolicy: CompiledPolicy {
    static let defaultField = "password"
    /// The largest count, length or length bound a rule may name.
    static let maximumAmount: UInt32 = 4096
    static let maximumSymbolCharsetBytes = 1024
    static let maximumErrorMessageBytes = 1024

    let field: String
    let rules: PasswordRules
    var promptField: String? { field }

    init(settings: Postern.Policy.V1.PasswordSettings) {
        field = settings.passwordField.isEmpty ? Self.defaultField : settings.passwordField
        var rules = PasswordRules()
        rules.checkStaticRules = settings.checkStaticRules?.on ?? true
        rules.lengthMin = Int(settings.lengthMin)
        rules.lengthMax = Int(settings.lengthMax)
        rules.digits = Int(settings.amountDigits)
        rules.lowercase = Int(settings.amountLowercase)
        rules.uppercase = Int(settings.amountUppercase)
        rules.symbols = Int(settings.amountSymbols)
        if !settings.symbolCharset.isEmpty { rules.symbolSet = Set(settings.symbolCharset.unicodeScalars) }
        if !settings.errorMessage.isEmpty { rules.errorMessage = settings.errorMessage }
        rules.similarToUser = settings.similarToUser
        self.rules = rules
    }

    static let kind = PolicyKind(
        type: .password,
        carriesSettings: { $0.password != nil },
        settings: { policy, _ throws(RPCError) in
            let settings = policy.password ?? .init()
            try check(settings)
            return settings.protobuf()
        },
        restore: { bytes, policy throws(ProtoDecodingError) in
            policy.password = try Postern.Policy.V1.PasswordSettings(protobuf: bytes)
        },
        compile: { name, bytes, _ throws(PolicyFailure) in
            PasswordPolicy(settings: try PolicyKind.stored(Postern.Policy.V1.PasswordSettings.self, bytes, policy: name))
        })

    private static func check(_ settings: Postern.Policy.V1.PasswordSettings) throws(RPCError) {
        if !settings.passwordField.isEmpty { try ConfigurationRules.fieldKey(settings.passwordField, "password.password_field") }
        let amounts: [(String, UInt32)] = [
            ("length_min", settings.lengthMin), ("length_max", settings.lengthMax), ("amount_digits", settings.amountDigits),
            ("amount_lowercase", settings.amountLowercase), ("amount_uppercase", settings.amountUppercase),
            ("amount_symbols", settings.amountSymbols),
        ]
        for (field, value) in amounts where value > maximumAmount {
            throw ConfigurationRules.invalid("password.\(field) is \(value); at most \(maximumAmount)")
        }
        if settings.lengthMax > 0, settings.lengthMax < settings.lengthMin {
            throw ConfigurationRules.invalid(
                "password.length_max (\(settings.lengthMax)) is less than password.length_min (\(settings.lengthMin)); 0 means no maximum")
        }
        guard settings.symbolCharset.utf8.count <= maximumSymbolCharsetBytes,
              !settings.symbolCharset.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else {
            throw ConfigurationRules.invalid("password.symbol_charset must be at most \(maximumSymbolCharsetBytes) bytes without control characters")
        }
        guard settings.errorMessage.utf8.count <= maximumErrorMessageBytes, IdentifierCharacters.problem(settings.errorMessage) == nil else {
            throw ConfigurationRules.invalid(
                "password.error_message must be at most \(maximumErrorMessageBytes) bytes without control or invisible characters")
        }
        for (field, on) in [("check_have_i_been_pwned", settings.checkHaveIBeenPwned), ("check_zxcvbn", settings.checkZxcvbn)] where on {
            throw RPCError(
                code: .failedPrecondition,
                message: "password.\(field) is not available in this version of postern-policy; leave it false")
        }
    }

    func run(_ request: PolicyRequest) -> PolicyRun {
        switch request.context.password(field: field) {
        case .notSet:
            return .done(.success(PolicyOutcome(passing: false, messages: [PolicyContext.passwordNotSet])))
        case .notAString(let path, let kind):
            return .done(.failure(PolicyFailure("\(path) must be a string, not \(kind)")))
        case .found(let password):
            if let problem = rules.problem(password, user: request.context.policyUser) {
                return .done(.success(PolicyOutcome(passing: false, messages: [problem])))
            }
            return .done(.success(PolicyOutcome(passing: true, messages: [])))
        }
    }
}
