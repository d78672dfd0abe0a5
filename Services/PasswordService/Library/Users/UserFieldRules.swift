import Foundation
import PosternProtocol
import PosternRPC
import PosternWire

/// What the Users methods accept in each field (docs/users.md). Every violation is
/// INVALID_ARGUMENT naming the field; nothing is stored.
enum UserFieldRules {
    /// authentik's (Django's) `username` max_length.
    static let maximumUsernameCharacters = 150
    /// So that a username's length can be checked in bounded time (a character may be many bytes).
    static let maximumUsernameBytes = 1024
    static let maximumIDBytes = 255
    static let maximumNameBytes = 1024
    static let maximumAttributesBytes = 64 * 1024
    static let maximumReferenceBytes = 1024

    static func id(_ value: String) throws(RPCError) -> String {
        guard !value.isEmpty else { throw invalid("id is missing") }
        guard value.utf8.count <= maximumIDBytes else { throw invalid("id is longer than \(maximumIDBytes) bytes") }
        try identifier(value, "id")
        return value
    }

    static func username(_ value: String) throws(RPCError) -> String {
        guard !value.isEmpty else { throw invalid("username is missing") }
        guard value.utf8.count <= maximumUsernameBytes, value.count <= maximumUsernameCharacters else {
            throw invalid("username is longer than \(maximumUsernameCharacters) characters or \(maximumUsernameBytes) bytes")
        }
        try identifier(value, "username")
        guard value.first?.isWhitespace == false, value.last?.isWhitespace == false else {
            throw invalid("username starts or ends with white space")
        }
        return value
    }

    static func name(_ value: String) throws(RPCError) -> String {
        guard value.utf8.count <= maximumNameBytes else { throw invalid("name is longer than \(maximumNameBytes) bytes") }
        try printable(value, "name")
        return value
    }

    /// A JSON object; empty means `{}`.
    static func attributes(_ value: String) throws(RPCError) -> String {
        guard !value.isEmpty else { return "{}" }
        guard value.utf8.count <= maximumAttributesBytes else {
            throw invalid("attributes_json is longer than \(maximumAttributesBytes) bytes")
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(value.utf8)), object is [String: Any] else {
            throw invalid("attributes_json is not a JSON object")
        }
        return value
    }

    /// An LDAP DN or a Kerberos principal; empty means none.
    static func reference(_ value: String, _ field: String) throws(RPCError) -> String? {
        guard !value.isEmpty else { return nil }
        guard value.utf8.count <= maximumReferenceBytes else {
            throw invalid("\(field) is longer than \(maximumReferenceBytes) bytes")
        }
        try printable(value, field)
        return value
    }

    /// A new row from a request's fields, each checked; an empty `id` gets a random UUID.
    static func newUser(
        id: String, username: String, name: String, kind: Postern.Password.V1.UserType, attributesJSON: String, inactive: Bool,
        ldapDN: String, kerberosPrincipal: String, passwordHash: String = "", passwordChangedAt: Date? = nil, now: Date
    ) throws(RPCError) -> StoredUser {
        StoredUser(
            id: id.isEmpty ? UUID().uuidString.lowercased() : try Self.id(id),
            username: try Self.username(username),
            name: try Self.name(name),
            isActive: !inactive,
            type: kind == .serviceAccount ? .serviceAccount : .internal,
            attributes: try attributes(attributesJSON),
            passwordHash: passwordHash,
            passwordChangedAt: passwordChangedAt,
            ldapDN: try reference(ldapDN, "ldap_dn"),
            kerberosPrincipal: try reference(kerberosPrincipal, "kerberos_principal"),
            createdAt: now, updatedAt: now)
    }

    private static func printable(_ value: String, _ field: String) throws(RPCError) {
        guard !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw invalid("\(field) contains a control character")
        }
    }

    private static func identifier(_ value: String, _ field: String) throws(RPCError) {
        if let problem = IdentifierCharacters.problem(value) { throw invalid("\(field) \(problem)") }
    }

    private static func invalid(_ message: String) -> RPCError {
        RPCError(code: .invalidArgument, message: message)
    }
}
