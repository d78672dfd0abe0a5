import ArgumentParser
import PosternClient

/// How `source ldap set|update` find a user's entry.
enum LDAPUserDNOption: String, ExpressibleByArgument, CaseIterable {
    case record, search
}

/// An LDAP source's settings as options: `set` starts from the defaults, `update` from the
/// stored source; an option not given changes nothing.
struct LDAPSourceOptions: SourceOptions {
    typealias Message = Postern.Password.V1.LDAPSource

    @Option(name: .customLong("uri"), help: ArgumentHelp("An ldap://, ldaps:// or ldapi:// URI; repeat for fail-over, in order (replaces the list).", valueName: "uri"))
    var uri: [String] = []
    @Option(help: ArgumentHelp("Whether the source is used.", valueName: "true|false")) var enabled: Bool?
    @Option(help: ArgumentHelp("StartTLS on ldap:// URIs.", valueName: "true|false")) var startTls: Bool?
    @Option(help: ArgumentHelp("PEM file of the CAs the server's certificate must chain to (\"\" for the system's).", valueName: "path"))
    var caFile: String?
    @Option(help: ArgumentHelp("Do not verify the server's certificate (unsafe; logged as a warning).", valueName: "true|false"))
    var insecureSkipVerify: Bool?
    @Option(help: ArgumentHelp("Milliseconds for the connection and TLS handshake (default 2000).", valueName: "ms"))
    var connectTimeoutMs: UInt32?
    @Option(help: ArgumentHelp("Milliseconds for one bind, search or password change (default 5000).", valueName: "ms"))
    var timeoutMs: UInt32?
    @Option(help: "How a user's entry is found: record (the user's ldap_dn) or search.") var userDn: LDAPUserDNOption?
    @Option(help: ArgumentHelp("The service account's DN, for searches, write-back and sync.", valueName: "dn")) var bindDn: String?
    @Option(help: ArgumentHelp("The service account's password file: an absolute path or credential:NAME.", valueName: "path"))
    var bindPasswordFile: String?
    @Option(help: ArgumentHelp("The subtree searched for users.", valueName: "dn")) var searchBase: String?
    @Option(help: ArgumentHelp("The user search filter, with {username}.", valueName: "filter")) var searchFilter: String?
    @Option(help: ArgumentHelp("Set the user's Postern password after a directory bind succeeds.", valueName: "true|false"))
    var updateInternalPassword: Bool?
    @Option(help: ArgumentHelp("Write password sets and changes back to the directory.", valueName: "true|false"))
    var passwordWriteback: Bool?
    @Option(help: ArgumentHelp("Connections kept (default 4).", valueName: "n")) var poolSize: UInt32?
    @Option(help: ArgumentHelp("Logins that may wait for a connection (default 64).", valueName: "n")) var queueLimit: UInt32?
    @Option(help: ArgumentHelp("Which entries sync imports (default (objectClass=inetOrgPerson)).", valueName: "filter"))
    var syncFilter: String?
    @Option(help: ArgumentHelp("Sync: the username attribute (default uid).", valueName: "name")) var usernameAttribute: String?
    @Option(help: ArgumentHelp("Sync: the name attribute (default cn).", valueName: "name")) var nameAttribute: String?
    @Option(help: ArgumentHelp("Sync: the entry's stable identity (default entryUUID).", valueName: "name")) var uniqueAttribute: String?

    var givesAny: Bool {
        !uri.isEmpty || enabled != nil || startTls != nil || caFile != nil || insecureSkipVerify != nil
            || connectTimeoutMs != nil || timeoutMs != nil || userDn != nil || bindDn != nil || bindPasswordFile != nil
            || searchBase != nil || searchFilter != nil || updateInternalPassword != nil || passwordWriteback != nil
            || poolSize != nil || queueLimit != nil || syncFilter != nil || usernameAttribute != nil || nameAttribute != nil
            || uniqueAttribute != nil
    }

    var missingForSet: String? { uri.isEmpty ? "Give at least one --uri." : nil }

    func validate() throws {
        for (value, option) in [(connectTimeoutMs, "--connect-timeout-ms"), (timeoutMs, "--timeout-ms"), (poolSize, "--pool-size"), (queueLimit, "--queue-limit")] {
            // 0 in the message means "the default": on the command line it would be a value silently replaced.
            if value == 0 { throw ValidationError("\(option) must be at least 1; leave it out for the default") }
        }
    }

    func apply(to source: inout Postern.Password.V1.LDAPSource) {
        if !uri.isEmpty { source.uris = uri }
        if let enabled { source.disabled = !enabled }
        if let startTls { source.startTls = startTls }
        if let caFile { source.caFile = caFile }
        if let insecureSkipVerify { source.insecureSkipVerify = insecureSkipVerify }
        if let connectTimeoutMs { source.connectTimeoutMs = connectTimeoutMs }
        if let timeoutMs { source.timeoutMs = timeoutMs }
        if let userDn { source.userDN = userDn == .search ? .ldapUserDNSearch : .ldapUserDNRecord }
        if let bindDn { source.bindDN = bindDn }
        if let bindPasswordFile { source.bindPasswordFile = bindPasswordFile }
        if let searchBase { source.searchBase = searchBase }
        if let searchFilter { source.searchFilter = searchFilter }
        if let updateInternalPassword { source.updateInternalPassword = updateInternalPassword }
        if let passwordWriteback { source.passwordWriteback = passwordWriteback }
        if let poolSize { source.poolSize = poolSize }
        if let queueLimit { source.queueLimit = queueLimit }
        if let syncFilter { source.syncFilter = syncFilter }
        if let usernameAttribute { source.usernameAttribute = usernameAttribute }
        if let nameAttribute { source.nameAttribute = nameAttribute }
        if let uniqueAttribute { source.uniqueAttribute = uniqueAttribute }
    }
}

extension JSONShape {
    struct LDAPSource: Encodable {
        var name: String
        var enabled: Bool
        var uris: [String]
        var startTls: Bool
        var caFile: String?
        var insecureSkipVerify: Bool
        var connectTimeoutMs, timeoutMs: UInt32
        var userDn: String
        var bindDn, bindPasswordFile, searchBase, searchFilter: String?
        var updateInternalPassword, passwordWriteback: Bool
        var poolSize, queueLimit: UInt32
        var syncFilter, usernameAttribute, nameAttribute, uniqueAttribute: String
        var counters: Counters?

        struct Counters: Encodable {
            var accepted, refused, unreachable, timeout, tls, other, queueFull: UInt64
            var idleConnections, waiting: UInt32

            private enum CodingKeys: String, CodingKey {
                case accepted, refused, unreachable, timeout, tls, other, waiting
                case queueFull = "queue_full", idleConnections = "idle_connections"
            }
        }

        private enum CodingKeys: String, CodingKey {
            case name, enabled, uris, counters
            case startTls = "start_tls", caFile = "ca_file", insecureSkipVerify = "insecure_skip_verify"
            case connectTimeoutMs = "connect_timeout_ms", timeoutMs = "timeout_ms", userDn = "user_dn"
            case bindDn = "bind_dn", bindPasswordFile = "bind_password_file", searchBase = "search_base"
            case searchFilter = "search_filter", updateInternalPassword = "update_internal_password"
            case passwordWriteback = "password_writeback", poolSize = "pool_size", queueLimit = "queue_limit"
            case syncFilter = "sync_filter", usernameAttribute = "username_attribute", nameAttribute = "name_attribute"
            case uniqueAttribute = "unique_attribute"
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(name, forKey: .name)
            try c.encode(enabled, forKey: .enabled)
            try c.encode(uris, forKey: .uris)
            try c.encode(startTls, forKey: .startTls)
            try c.encode(caFile, forKey: .caFile)
            try c.encode(insecureSkipVerify, forKey: .insecureSkipVerify)
            try c.encode(connectTimeoutMs, forKey: .connectTimeoutMs)
            try c.encode(timeoutMs, forKey: .timeoutMs)
            try c.encode(userDn, forKey: .userDn)
            try c.encode(bindDn, forKey: .bindDn)
            try c.encode(bindPasswordFile, forKey: .bindPasswordFile)
            try c.encode(searchBase, forKey: .searchBase)
            try c.encode(searchFilter, forKey: .searchFilter)
            try c.encode(updateInternalPassword, forKey: .updateInternalPassword)
            try c.encode(passwordWriteback, forKey: .passwordWriteback)
            try c.encode(poolSize, forKey: .poolSize)
            try c.encode(queueLimit, forKey: .queueLimit)
            try c.encode(syncFilter, forKey: .syncFilter)
            try c.encode(usernameAttribute, forKey: .usernameAttribute)
            try c.encode(nameAttribute, forKey: .nameAttribute)
            try c.encode(uniqueAttribute, forKey: .uniqueAttribute)
            try c.encode(counters, forKey: .counters)
        }

        init(_ source: Postern.Password.V1.LDAPSource) {
            func optional(_ text: String) -> String? { text.isEmpty ? nil : text }
            name = source.name
            enabled = !source.disabled
            uris = source.uris
            startTls = source.startTls
            caFile = optional(source.caFile)
            insecureSkipVerify = source.insecureSkipVerify
            connectTimeoutMs = source.connectTimeoutMs
            timeoutMs = source.timeoutMs
            userDn = source.userDN == .ldapUserDNSearch ? "search" : "record"
            bindDn = optional(source.bindDN)
            bindPasswordFile = optional(source.bindPasswordFile)
            searchBase = optional(source.searchBase)
            searchFilter = optional(source.searchFilter)
            updateInternalPassword = source.updateInternalPassword
            passwordWriteback = source.passwordWriteback
            poolSize = source.poolSize
            queueLimit = source.queueLimit
            syncFilter = source.syncFilter
            usernameAttribute = source.usernameAttribute
            nameAttribute = source.nameAttribute
            uniqueAttribute = source.uniqueAttribute
            counters = source.counters.map {
                Counters(
                    accepted: $0.accepted, refused: $0.refused, unreachable: $0.unreachable, timeout: $0.timeout, tls: $0.tls,
                    other: $0.other, queueFull: $0.queueFull, idleConnections: $0.idleConnections, waiting: $0.waiting)
            }
        }
    }

    struct LDAPSync: Encodable {
        var created, updated, unchanged, deactivated: UInt32
        var skipped: [String]

        init(_ report: Postern.Password.V1.SyncLDAPSourceResponse) {
            created = report.created
            updated = report.updated
            unchanged = report.unchanged
            deactivated = report.deactivated
            skipped = report.skipped
        }
    }
}

enum LDAPSourceText {
    static func table(_ sources: [Postern.Password.V1.LDAPSource]) -> String {
        let width = max(4, sources.map(\.name.count).max() ?? 0)
        var lines = ["NAME".padding(toLength: width, withPad: " ", startingAt: 0) + "  ENABLED  USER DN  URIS"]
        for source in sources {
            lines.append(
                source.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  "
                    + (source.disabled ? "no " : "yes").padding(toLength: 7, withPad: " ", startingAt: 0) + "  "
                    + (source.userDN == .ldapUserDNSearch ? "search" : "record").padding(toLength: 7, withPad: " ", startingAt: 0) + "  "
                    + source.uris.joined(separator: " "))
        }
        lines.append("\(sources.count) source\(sources.count == 1 ? "" : "s")")
        return lines.joined(separator: "\n")
    }

    static func detail(_ source: Postern.Password.V1.LDAPSource) -> String {
        func shown(_ text: String) -> String { text.isEmpty ? "(none)" : text }
        var lines = [
            "name:                      \(source.name)",
            "enabled:                   \(source.disabled ? "no" : "yes")",
            "uris:                      \(source.uris.joined(separator: " "))",
            "start tls:                 \(source.startTls ? "yes" : "no")",
            "ca file:                   \(source.caFile.isEmpty ? "(the system's CAs)" : source.caFile)",
            "verify certificate:        \(source.insecureSkipVerify ? "NO (insecure_skip_verify)" : "yes")",
            "timeouts:                  connect \(source.connectTimeoutMs) ms, operation \(source.timeoutMs) ms",
            "user dn:                   \(source.userDN == .ldapUserDNSearch ? "search" : "record (the user's ldap_dn)")",
            "bind dn:                   \(shown(source.bindDN))",
            "bind password file:        \(shown(source.bindPasswordFile))",
            "search:                    \(shown(source.searchBase)) \(source.searchFilter)",
            "update internal password:  \(source.updateInternalPassword ? "yes" : "no")",
            "password writeback:        \(source.passwordWriteback ? "yes" : "no")",
            "pool:                      \(source.poolSize) connections, \(source.queueLimit) may wait",
            "sync:                      \(source.syncFilter) (username \(source.usernameAttribute), name \(source.nameAttribute), identity \(source.uniqueAttribute))",
        ]
        if let c = source.counters {
            lines.append(
                "since start:               \(c.accepted) accepted, \(c.refused) refused; failed: \(c.unreachable) unreachable, "
                    + "\(c.timeout) timeout, \(c.tls) tls, \(c.other) other; \(c.queueFull) queue full")
            lines.append("now:                       \(c.idleConnections) idle connections, \(c.waiting) waiting")
        }
        return lines.joined(separator: "\n")
    }

    static func sync(_ report: Postern.Password.V1.SyncLDAPSourceResponse, name: String, dryRun: Bool) -> String {
        var lines = [
            "\(dryRun ? "would sync" : "synced") \(name): \(report.created) created, \(report.updated) updated, "
                + "\(report.unchanged) unchanged, \(report.deactivated) deactivated, \(report.skipped.count) skipped"
        ]
        lines += report.skipped.map { "skipped \($0)" }
        return lines.joined(separator: "\n")
    }
}
