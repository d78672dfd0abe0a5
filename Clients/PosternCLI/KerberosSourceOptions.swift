import ArgumentParser
import PosternClient

/// A Kerberos source's settings as options: `set` starts from the defaults, `update` from the
/// stored source; an option not given changes nothing.
struct KerberosSourceOptions: SourceOptions {
    typealias Message = Postern.Password.V1.KerberosSource

    @Option(help: ArgumentHelp("The realm, e.g. EXAMPLE.COM.", valueName: "realm")) var realm: String?
    @Option(name: .customLong("kdc"), help: ArgumentHelp("A KDC, host or host:port; repeat for fail-over, in order (replaces the list; none: the system's krb5.conf).", valueName: "host"))
    var kdc: [String] = []
    @Flag(help: "Use the system's krb5.conf for the KDCs (clears the --kdc list).") var systemKdcs = false
    @Option(help: ArgumentHelp("Whether the source is used.", valueName: "true|false")) var enabled: Bool?
    @Option(help: ArgumentHelp("Milliseconds for a whole check (default 5000).", valueName: "ms")) var timeoutMs: UInt32?
    @Option(help: ArgumentHelp("The service's keytab answers are verified with: an absolute path or credential:NAME.", valueName: "path"))
    var keytab: String?
    @Option(help: ArgumentHelp("The service principal that verifies (default: every host/ principal in the keytab).", valueName: "principal"))
    var servicePrincipal: String?
    @Option(help: ArgumentHelp("Accept the KDC's word without a keytab (unsafe; logged as a warning).", valueName: "true|false"))
    var allowUnverified: Bool?
    @Option(help: ArgumentHelp("Set the user's Postern password after the realm accepts it.", valueName: "true|false"))
    var updateInternalPassword: Bool?
    @Option(help: ArgumentHelp("Write password sets and changes back to the realm.", valueName: "true|false"))
    var passwordWriteback: Bool?
    @Option(help: ArgumentHelp("The kpasswd server, host or host:port (default: the KDCs' hosts).", valueName: "host"))
    var kpasswdServer: String?
    @Option(help: ArgumentHelp("Write-back's admin principal.", valueName: "principal")) var adminPrincipal: String?
    @Option(help: ArgumentHelp("Write-back's admin keytab: an absolute path or credential:NAME.", valueName: "path")) var adminKeytab: String?
    @Option(help: ArgumentHelp("Checks at once (default 4).", valueName: "n")) var poolSize: UInt32?
    @Option(help: ArgumentHelp("Checks that may wait (default 64).", valueName: "n")) var queueLimit: UInt32?

    var givesAny: Bool {
        realm != nil || !kdc.isEmpty || systemKdcs || enabled != nil || timeoutMs != nil || keytab != nil
            || servicePrincipal != nil || allowUnverified != nil || updateInternalPassword != nil || passwordWriteback != nil
            || kpasswdServer != nil || adminPrincipal != nil || adminKeytab != nil || poolSize != nil || queueLimit != nil
    }

    var missingForSet: String? { realm == nil ? "Give --realm." : nil }

    func validate() throws {
        if systemKdcs, !kdc.isEmpty { throw ValidationError("--system-kdcs and --kdc exclude each other.") }
        for (value, option) in [(timeoutMs, "--timeout-ms"), (poolSize, "--pool-size"), (queueLimit, "--queue-limit")] {
            if value == 0 { throw ValidationError("\(option) must be at least 1; leave it out for the default") }
        }
    }

    func apply(to source: inout Postern.Password.V1.KerberosSource) {
        if let realm { source.realm = realm }
        if !kdc.isEmpty { source.kdcs = kdc }
        if systemKdcs { source.kdcs = [] }
        if let enabled { source.disabled = !enabled }
        if let timeoutMs { source.timeoutMs = timeoutMs }
        if let keytab { source.keytab = keytab }
        if let servicePrincipal { source.servicePrincipal = servicePrincipal }
        if let allowUnverified { source.allowUnverified = allowUnverified }
        if let updateInternalPassword { source.updateInternalPassword = updateInternalPassword }
        if let passwordWriteback { source.passwordWriteback = passwordWriteback }
        if let kpasswdServer { source.kpasswdServer = kpasswdServer }
        if let adminPrincipal { source.adminPrincipal = adminPrincipal }
        if let adminKeytab { source.adminKeytab = adminKeytab }
        if let poolSize { source.poolSize = poolSize }
        if let queueLimit { source.queueLimit = queueLimit }
    }
}

extension JSONShape {
    struct KerberosSource: Encodable {
        var name, realm: String
        var enabled, allowUnverified, updateInternalPassword, passwordWriteback: Bool
        var kdcs: [String]
        var timeoutMs, poolSize, queueLimit: UInt32
        var keytab, servicePrincipal, kpasswdServer, adminPrincipal, adminKeytab: String?
        var counters: [String: UInt64]?

        private enum CodingKeys: String, CodingKey {
            case name, realm, enabled, kdcs, keytab, counters
            case allowUnverified = "allow_unverified", updateInternalPassword = "update_internal_password"
            case passwordWriteback = "password_writeback", timeoutMs = "timeout_ms", poolSize = "pool_size"
            case queueLimit = "queue_limit", servicePrincipal = "service_principal", kpasswdServer = "kpasswd_server"
            case adminPrincipal = "admin_principal", adminKeytab = "admin_keytab"
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(name, forKey: .name)
            try c.encode(realm, forKey: .realm)
            try c.encode(enabled, forKey: .enabled)
            try c.encode(kdcs, forKey: .kdcs)
            try c.encode(timeoutMs, forKey: .timeoutMs)
            try c.encode(keytab, forKey: .keytab)
            try c.encode(servicePrincipal, forKey: .servicePrincipal)
            try c.encode(allowUnverified, forKey: .allowUnverified)
            try c.encode(updateInternalPassword, forKey: .updateInternalPassword)
            try c.encode(passwordWriteback, forKey: .passwordWriteback)
            try c.encode(kpasswdServer, forKey: .kpasswdServer)
            try c.encode(adminPrincipal, forKey: .adminPrincipal)
            try c.encode(adminKeytab, forKey: .adminKeytab)
            try c.encode(poolSize, forKey: .poolSize)
            try c.encode(queueLimit, forKey: .queueLimit)
            try c.encode(counters, forKey: .counters)
        }

        init(_ source: Postern.Password.V1.KerberosSource) {
            func optional(_ text: String) -> String? { text.isEmpty ? nil : text }
            name = source.name
            realm = source.realm
            enabled = !source.disabled
            kdcs = source.kdcs
            timeoutMs = source.timeoutMs
            keytab = optional(source.keytab)
            servicePrincipal = optional(source.servicePrincipal)
            allowUnverified = source.allowUnverified
            updateInternalPassword = source.updateInternalPassword
            passwordWriteback = source.passwordWriteback
            kpasswdServer = optional(source.kpasswdServer)
            adminPrincipal = optional(source.adminPrincipal)
            adminKeytab = optional(source.adminKeytab)
            poolSize = source.poolSize
            queueLimit = source.queueLimit
            counters = source.counters.map {
                [
                    "accepted": $0.accepted, "refused": $0.refused, "expired": $0.expired, "unreachable": $0.unreachable,
                    "timeout": $0.timeout, "unverified": $0.unverified, "clock_skew": $0.clockSkew, "other": $0.other,
                    "queue_full": $0.queueFull, "waiting": UInt64($0.waiting),
                ]
            }
        }
    }
}

enum KerberosSourceText {
    static func table(_ sources: [Postern.Password.V1.KerberosSource]) -> String {
        let width = max(4, sources.map(\.name.count).max() ?? 0)
        var lines = ["NAME".padding(toLength: width, withPad: " ", startingAt: 0) + "  ENABLED  VERIFIED  REALM"]
        for source in sources {
            lines.append(
                source.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  "
                    + (source.disabled ? "no" : "yes").padding(toLength: 7, withPad: " ", startingAt: 0) + "  "
                    + (source.keytab.isEmpty ? "NO" : "yes").padding(toLength: 8, withPad: " ", startingAt: 0) + "  "
                    + source.realm)
        }
        lines.append("\(sources.count) source\(sources.count == 1 ? "" : "s")")
        return lines.joined(separator: "\n")
    }

    static func detail(_ source: Postern.Password.V1.KerberosSource) -> String {
        func shown(_ text: String) -> String { text.isEmpty ? "(none)" : text }
        var lines = [
            "name:                      \(source.name)",
            "enabled:                   \(source.disabled ? "no" : "yes")",
            "realm:                     \(source.realm)",
            "kdcs:                      \(source.kdcs.isEmpty ? "(the system's krb5.conf)" : source.kdcs.joined(separator: " "))",
            "timeout:                   \(source.timeoutMs) ms",
            "keytab:                    \(source.keytab.isEmpty ? "NONE: answers are not verified (allow_unverified)" : source.keytab)",
            "service principal:         \(source.servicePrincipal.isEmpty ? "(every host/ principal in the keytab)" : source.servicePrincipal)",
            "update internal password:  \(source.updateInternalPassword ? "yes" : "no")",
            "password writeback:        \(source.passwordWriteback ? "yes, as \(source.adminPrincipal)" : "no")",
            "kpasswd server:            \(source.kpasswdServer.isEmpty ? "(the KDCs' hosts)" : source.kpasswdServer)",
            "admin keytab:              \(shown(source.adminKeytab))",
            "pool:                      \(source.poolSize) at once, \(source.queueLimit) may wait",
        ]
        if let c = source.counters {
            lines.append(
                "since start:               \(c.accepted) accepted, \(c.refused) refused, \(c.expired) expired; failed: "
                    + "\(c.unreachable) unreachable, \(c.timeout) timeout, \(c.unverified) unverified, \(c.clockSkew) clock skew, "
                    + "\(c.other) other; \(c.queueFull) queue full")
            lines.append("now:                       \(c.waiting) waiting")
        }
        return lines.joined(separator: "\n")
    }
}
