import Foundation
import PosternDaemon
import PosternProtocol

extension Postern.Password.V1.User {
    /// The user as the Users methods show it: everything but the hash, whose only trace is
    /// whether it can verify at all.
    init(_ stored: StoredUser) {
        self.init(
            id: stored.id,
            username: stored.username,
            name: stored.name,
            isActive: stored.isActive,
            type: stored.type == .serviceAccount ? .serviceAccount : .internal,
            attributesJSON: stored.attributes,
            hasUsablePassword: !stored.passwordHash.isEmpty && !stored.passwordHash.hasPrefix("!"),
            passwordChangedUnixMs: stored.passwordChangedAt.map(\.unixMilliseconds) ?? 0,
            createdUnixMs: stored.createdAt.unixMilliseconds,
            updatedUnixMs: stored.updatedAt.unixMilliseconds,
            ldapDN: stored.ldapDN ?? "",
            kerberosPrincipal: stored.kerberosPrincipal ?? "",
            passwordMustChange: stored.passwordMustChange)
    }
}
