import Foundation
import PosternKerberos
import PosternProtocol
import PosternRPC

/// What a Kerberos source may say (docs/kerberos.md): a request's source checked and resolved
/// into its stored settings, and the settings as the message again.
enum KerberosSourceRules {
    static let maximumKDCs = 8

    static func settings(
        _ source: Postern.Password.V1.KerberosSource, environment: [String: String]
    ) throws(RPCError) -> KerberosSourceSettings {
        try SourceFieldRules.name(source.name)
        for (value, field) in [
            (source.realm, "realm"), (source.keytab, "keytab"), (source.servicePrincipal, "service_principal"),
            (source.kpasswdServer, "kpasswd_server"), (source.adminPrincipal, "admin_principal"),
            (source.adminKeytab, "admin_keytab"),
        ] { try SourceFieldRules.text(value, field) }
        guard !source.realm.isEmpty, !source.realm.contains(where: { $0.isWhitespace || $0 == "/" || $0 == "@" }) else {
            throw invalid("realm must be a realm name such as EXAMPLE.COM")
        }
        guard source.kdcs.count <= maximumKDCs else { throw invalid("kdcs holds \(source.kdcs.count) KDCs; at most \(maximumKDCs)") }
        for kdc in source.kdcs + (source.kpasswdServer.isEmpty ? [] : [source.kpasswdServer]) {
            try SourceFieldRules.text(kdc, "kdcs")
            guard !kdc.isEmpty, !kdc.contains(where: \.isWhitespace), !kdc.contains("/") else {
                throw invalid("\"\(RPCRouter.printable(kdc))\" must be host or host:port")
            }
        }
        let timeout = try SourceFieldRules.bounded(source.timeoutMs, "timeout_ms", default: 5_000, maximum: 60_000)
        let poolSize = try SourceFieldRules.bounded(source.poolSize, "pool_size", default: 4, maximum: 64)
        let queueLimit = try SourceFieldRules.bounded(source.queueLimit, "queue_limit", default: 64, maximum: 10_000)
        if source.keytab.isEmpty {
            guard source.allowUnverified else {
                throw RPCError(
                    code: .failedPrecondition,
                    message: "a Kerberos source needs a keytab to verify the KDC's answers (keytab = the service's keytab); "
                        + "without one anyone who can answer for the KDC's address can say yes to any password. "
                        + "Set allow_unverified to accept that explicitly")
            }
            guard source.servicePrincipal.isEmpty else { throw invalid("service_principal needs a keytab") }
        } else {
            _ = try SecretFileReference.readablePath(source.keytab, field: "keytab", environment: environment)
        }
        if source.passwordWriteback {
            guard !source.adminPrincipal.isEmpty, !source.adminKeytab.isEmpty else {
                throw invalid("password_writeback needs admin_principal and admin_keytab")
            }
        }
        guard source.adminPrincipal.isEmpty == source.adminKeytab.isEmpty else {
            throw invalid("admin_principal and admin_keytab go together: give both or neither")
        }
        if !source.adminKeytab.isEmpty {
            _ = try SecretFileReference.readablePath(source.adminKeytab, field: "admin_keytab", environment: environment)
        }
        func optional(_ text: String) -> String? { text.isEmpty ? nil : text }
        let settings = KerberosSourceSettings(
            name: source.name, enabled: !source.disabled, realm: source.realm, kdcs: source.kdcs,
            timeoutMilliseconds: Int(timeout), keytab: optional(source.keytab),
            servicePrincipal: optional(source.servicePrincipal), allowUnverified: source.allowUnverified,
            updateInternalPassword: source.updateInternalPassword, passwordWriteback: source.passwordWriteback,
            kpasswdServer: optional(source.kpasswdServer), adminPrincipal: optional(source.adminPrincipal),
            adminKeytab: optional(source.adminKeytab), poolSize: Int(poolSize), queueLimit: Int(queueLimit))
        // libkrb5 itself must take the realm's configuration and the principals' names.
        do {
            let client = try KerberosClient(settings.kerberosRealm)
            for (name, field) in [(settings.servicePrincipal, "service_principal"), (settings.adminPrincipal, "admin_principal")] {
                if let name { try client.checkName(name, field: field) }
            }
        } catch {
            throw invalid(error.message)
        }
        return settings
    }

    static func message(_ settings: KerberosSourceSettings) -> Postern.Password.V1.KerberosSource {
        Postern.Password.V1.KerberosSource(
            name: settings.name, disabled: !settings.enabled, realm: settings.realm, kdcs: settings.kdcs,
            timeoutMs: UInt32(settings.timeoutMilliseconds), keytab: settings.keytab ?? "",
            servicePrincipal: settings.servicePrincipal ?? "", allowUnverified: settings.allowUnverified,
            updateInternalPassword: settings.updateInternalPassword, passwordWriteback: settings.passwordWriteback,
            kpasswdServer: settings.kpasswdServer ?? "", adminPrincipal: settings.adminPrincipal ?? "",
            adminKeytab: settings.adminKeytab ?? "", poolSize: UInt32(settings.poolSize), queueLimit: UInt32(settings.queueLimit))
    }

    private static func invalid(_ message: String) -> RPCError { RPCError(code: .invalidArgument, message: message) }
}
