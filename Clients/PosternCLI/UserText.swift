import Foundation
import PosternClient

/// How `postern user` prints users.
enum UserText {
    static func detail(_ user: Postern.Password.V1.User) -> String {
        var lines = [
            "id:         \(user.id)",
            "username:   \(user.username)",
            "name:       \(user.name)",
            "active:     \(user.isActive ? "yes" : "no")",
            "type:       \(user.type == .serviceAccount ? "service_account" : "internal")",
            "password:   \(user.hasUsablePassword ? "set" : "none")" + (user.passwordChangedUnixMs > 0
                ? ", changed \(date(user.passwordChangedUnixMs))" : "") + (user.passwordMustChange ? ", must be changed" : ""),
            "attributes: \(user.attributesJSON)",
            "created:    \(date(user.createdUnixMs))",
        ]
        if !user.ldapDN.isEmpty { lines.append("ldap dn:    \(user.ldapDN)") }
        if !user.kerberosPrincipal.isEmpty { lines.append("kerberos:   \(user.kerberosPrincipal)") }
        return lines.joined(separator: "\n")
    }

    static func table(_ users: [Postern.Password.V1.User]) -> String {
        let width = max(8, users.map(\.username.count).max() ?? 0)
        var lines = ["USERNAME".padding(toLength: width, withPad: " ", startingAt: 0) + "  ACTIVE  PASSWORD  TYPE             ID"]
        for user in users {
            lines.append(
                user.username.padding(toLength: width, withPad: " ", startingAt: 0) + "  "
                    + (user.isActive ? "yes   " : "no    ") + "  "
                    + (user.hasUsablePassword ? "set     " : "none    ") + "  "
                    + (user.type == .serviceAccount ? "service_account  " : "internal         ") + user.id)
        }
        lines.append("\(users.count) user\(users.count == 1 ? "" : "s")")
        return lines.joined(separator: "\n")
    }

    private static func date(_ unixMilliseconds: Int64) -> String {
        ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double(unixMilliseconds) / 1000))
    }
}
