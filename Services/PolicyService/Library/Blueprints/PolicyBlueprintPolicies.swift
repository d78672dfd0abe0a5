import PosternBlueprint
import PosternProtocol

/// The policy models (`postern.policy.TYPE`): a policy's name and execution_logging, and its
/// type's settings as fields, exactly as stored: a setting left to its default (an empty
/// password_field, no check_static_rules, no num_historical_passwords) is left out, so an
/// export applied elsewhere stores the same settings.
enum PolicyBlueprintPolicies {
    static let codecs: [PolicyBlueprintCodec] = [
        codec(.dummy, fields: { settings in
            let dummy = settings.dummy ?? .init()
            return ["result": .bool(dummy.result), "wait_min": .integer(Int64(dummy.waitMin)), "wait_max": .integer(Int64(dummy.waitMax))]
        }, settings: { fields, policy in
            policy.dummy = .init(result: fields.bool("result"), waitMin: fields.uint32("wait_min"), waitMax: fields.uint32("wait_max"))
        }),
        codec(.expression, fields: { settings in
            ["expression": .string(settings.expression?.expression ?? "")]
        }, settings: { fields, policy in
            policy.expression = .init(expression: fields.string("expression"))
        }),
        codec(.password, fields: { settings in
            let password = settings.password ?? .init()
            var fields: [String: BlueprintValue] = [
                "length_min": .integer(Int64(password.lengthMin)), "length_max": .integer(Int64(password.lengthMax)),
                "amount_digits": .integer(Int64(password.amountDigits)),
                "amount_lowercase": .integer(Int64(password.amountLowercase)),
                "amount_uppercase": .integer(Int64(password.amountUppercase)),
                "amount_symbols": .integer(Int64(password.amountSymbols)),
                "symbol_charset": .string(password.symbolCharset), "error_message": .string(password.errorMessage),
                "similar_to_user": .bool(password.similarToUser),
            ]
            if !password.passwordField.isEmpty { fields["password_field"] = .string(password.passwordField) }
            if let check = password.checkStaticRules { fields["check_static_rules"] = .bool(check.on) }
            return fields
        }, settings: { fields, policy in
            policy.password = .init(
                passwordField: fields.string("password_field"),
                checkStaticRules: fields["check_static_rules"] == nil ? nil : .init(on: fields.bool("check_static_rules")),
                lengthMin: fields.uint32("length_min"), lengthMax: fields.uint32("length_max"),
                amountDigits: fields.uint32("amount_digits"), amountLowercase: fields.uint32("amount_lowercase"),
                amountUppercase: fields.uint32("amount_uppercase"), amountSymbols: fields.uint32("amount_symbols"),
                symbolCharset: fields.string("symbol_charset"), errorMessage: fields.string("error_message"),
                similarToUser: fields.bool("similar_to_user"))
        }),
        codec(.passwordUniqueness, fields: { settings in
            let unique = settings.passwordUniqueness ?? .init()
            var fields: [String: BlueprintValue] = [:]
            if !unique.passwordField.isEmpty { fields["password_field"] = .string(unique.passwordField) }
            if let count = unique.numHistoricalPasswords { fields["num_historical_passwords"] = .integer(Int64(count.value)) }
            return fields
        }, settings: { fields, policy in
            var unique = Postern.Policy.V1.PasswordUniquenessSettings(passwordField: fields.string("password_field"))
            if fields["num_historical_passwords"] != nil { unique.numHistoricalPasswords = .init(value: fields.uint32("num_historical_passwords")) }
            policy.passwordUniqueness = unique
        }),
        codec(.passwordExpiry, fields: { settings in
            let expiry = settings.passwordExpiry ?? .init()
            return ["days": .integer(Int64(expiry.days)), "deny_only": .bool(expiry.denyOnly)]
        }, settings: { fields, policy in
            policy.passwordExpiry = .init(days: fields.uint32("days"), denyOnly: fields.bool("deny_only"))
        }),
    ]

    static func codec(
        _ type: Postern.Policy.V1.PolicyType,
        fields settingsFields: @escaping @Sendable (Postern.Policy.V1.Policy) -> [String: BlueprintValue],
        settings: @escaping @Sendable (BlueprintFields, inout Postern.Policy.V1.Policy) -> Void
    ) -> PolicyBlueprintCodec {
        @Sendable func fields(of policy: Postern.Policy.V1.Policy) -> BlueprintFields {
            BlueprintFields(settingsFields(policy).merging(["name": .string(policy.name), "execution_logging": .bool(policy.executionLogging)]) { $1 })
        }
        @Sendable func policy(from fields: BlueprintFields) -> Postern.Policy.V1.Policy {
            var policy = Postern.Policy.V1.Policy(name: fields.string("name"), type: type, executionLogging: fields.bool("execution_logging"))
            settings(fields, &policy)
            return policy
        }
        return PolicyBlueprintCodec(
            model: "postern.policy.\(type.name)",
            objects: { configuration in
                configuration.policies.values.filter { $0.message.type == type }.map { ($0.message.name, fields(of: $0.message)) }
            },
            canonical: { given, dependencies in fields(of: try ConfigurationRules.policy(policy(from: given), dependencies).0) },
            create: { given, dependencies, db, configuration in
                let (policy, bytes) = try ConfigurationRules.policy(policy(from: given), dependencies)
                try PolicyStore.createPolicy(policy, settings: bytes, db, configuration)
                return policy.name
            },
            update: { name, given, dependencies, db, configuration in
                let (policy, bytes) = try ConfigurationRules.policy(policy(from: given), dependencies)
                guard policy.name == name else { throw ConfigurationRules.invalid("a policy's name cannot change (\(name) → \(policy.name))") }
                try PolicyStore.updatePolicy(policy, settings: bytes, db, configuration)
            },
            delete: { name, db, configuration in _ = try PolicyStore.deletePolicy(name, db, configuration) })
    }
}
