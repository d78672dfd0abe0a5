import ArgumentParser
import Foundation
import PosternClient

/// `--json`: the command's answer as one JSON document on standard output, in the shape
/// docs/cli.md documents (keys in snake_case, sorted; times as ISO 8601 text; absent values
/// null), instead of the human text.
struct OutputOptions: ParsableArguments {
    @Flag(help: "Print the answer as JSON (shapes in docs/cli.md).") var json = false

    /// Prints `human`, or `value` as JSON with `--json`; an answer that cannot be written as
    /// JSON is a failure (exit 1), never an empty success.
    func emit(_ value: some Encodable, human: @autoclosure () -> String) throws {
        guard json else {
            print(human())
            return
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        let data: Data
        do {
            data = try encoder.encode(value)
        } catch {
            printError("postern: the answer could not be written as JSON: \(error)")
            throw ExitCode(ExitStatus.failed)
        }
        print(String(decoding: data, as: UTF8.self))
    }
}

/// The JSON shapes of `--json` (docs/cli.md, "JSON").
enum JSONShape {
    static func time(_ unixMilliseconds: Int64) -> String? {
        guard unixMilliseconds != 0 else { return nil }
        return ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double(unixMilliseconds) / 1000))
    }

    struct User: Encodable {
        var id, username, name, type: String
        var active, hasPassword, passwordMustChange: Bool
        var passwordChanged, created, updated: String?
        var attributes: JSONValue
        var ldapDn, kerberosPrincipal: String?

        init(_ user: Postern.Password.V1.User) {
            id = user.id
            username = user.username
            name = user.name
            type = user.type == .serviceAccount ? "service_account" : "internal"
            active = user.isActive
            hasPassword = user.hasUsablePassword
            passwordMustChange = user.passwordMustChange
            passwordChanged = time(user.passwordChangedUnixMs)
            created = time(user.createdUnixMs)
            updated = time(user.updatedUnixMs)
            attributes = (try? JSONDecoder().decode(JSONValue.self, from: Data(user.attributesJSON.utf8))) ?? .object([:])
            ldapDn = user.ldapDN.isEmpty ? nil : user.ldapDN
            kerberosPrincipal = user.kerberosPrincipal.isEmpty ? nil : user.kerberosPrincipal
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(id, forKey: .id)
            try container.encode(username, forKey: .username)
            try container.encode(name, forKey: .name)
            try container.encode(type, forKey: .type)
            try container.encode(active, forKey: .active)
            try container.encode(hasPassword, forKey: .hasPassword)
            try container.encode(passwordChanged, forKey: .passwordChanged)
            try container.encode(passwordMustChange, forKey: .passwordMustChange)
            try container.encode(created, forKey: .created)
            try container.encode(updated, forKey: .updated)
            try container.encode(attributes, forKey: .attributes)
            try container.encode(ldapDn, forKey: .ldapDn)
            try container.encode(kerberosPrincipal, forKey: .kerberosPrincipal)
        }

        private enum Keys: String, CodingKey {
            case id, username, name, type, active, created, updated, attributes
            case hasPassword = "has_password", passwordChanged = "password_changed", ldapDn = "ldap_dn"
            case passwordMustChange = "password_must_change"
            case kerberosPrincipal = "kerberos_principal"
        }
    }

    struct Stage: Encodable {
        var name: String
        var backends: [String]
        var failedAttemptsBeforeCancel: UInt32
        var allowShowPassword: Bool
        var configurationFlow: String

        private enum CodingKeys: String, CodingKey {
            case name, backends
            case failedAttemptsBeforeCancel = "failed_attempts_before_cancel", allowShowPassword = "allow_show_password"
            case configurationFlow = "configuration_flow"
        }

        init(_ stage: Postern.Password.V1.PasswordStage) {
            name = stage.name
            backends = stage.backends.map(\.name)
            failedAttemptsBeforeCancel = stage.failedAttemptsBeforeCancel
            allowShowPassword = stage.allowShowPassword
            configurationFlow = stage.configurationFlow
        }
    }

    struct AppPassword: Encodable {
        var id, userId, username, description: String
        var created, expires, revoked: String?
        /// Only when the command shows it (create, view).
        var secret: String?

        init(_ appPassword: Postern.Password.V1.AppPassword?, username: String = "", secret: String? = nil) {
            id = appPassword?.id ?? ""
            userId = appPassword?.userID ?? ""
            self.username = username
            description = appPassword?.descriptionField ?? ""
            created = time(appPassword?.createdUnixMs ?? 0)
            expires = time(appPassword?.expiresUnixMs ?? 0)
            revoked = time(appPassword?.revokedUnixMs ?? 0)
            self.secret = secret
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(id, forKey: .id)
            try container.encode(userId, forKey: .userId)
            try container.encode(username, forKey: .username)
            try container.encode(description, forKey: .description)
            try container.encode(created, forKey: .created)
            try container.encode(expires, forKey: .expires)
            try container.encode(revoked, forKey: .revoked)
            if let secret { try container.encode(secret, forKey: .secret) }
        }

        private enum Keys: String, CodingKey {
            case id, username, description, created, expires, revoked, secret
            case userId = "user_id"
        }
    }
}
