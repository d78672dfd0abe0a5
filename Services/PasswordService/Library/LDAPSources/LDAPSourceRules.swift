import Foundation
import PosternLDAP
import PosternProtocol
import PosternRPC

/// What an LDAP source may say (docs/ldap.md): a request's source checked and resolved into
/// its stored settings, and the settings as the message again.
enum LDAPSourceRules {
    static let maximumURIs = 8
    static let maximumTimeoutMilliseconds: UInt32 = 60_000
    static let defaultConnectTimeoutMilliseconds: UInt32 = 2_000
    static let defaultTimeoutMilliseconds: UInt32 = 5_000
    static let defaultPoolSize: UInt32 = 4
    static let maximumPoolSize: UInt32 = 64
    static let defaultQueueLimit: UInt32 = 64
    static let maximumQueueLimit: UInt32 = 10_000
    static let defaultSyncFilter = "(objectClass=inetOrgPerson)"

    static func settings(
        _ source: Postern.Password.V1.LDAPSource, environment: [String: String]
    ) throws(RPCError) -> LDAPSourceSettings {
        let name = source.name
        try SourceFieldRules.name(name)
        guard !source.uris.isEmpty, source.uris.count <= maximumURIs else { throw invalid("uris must hold 1…\(maximumURIs) URIs") }
        for uri in source.uris {
            try SourceFieldRules.text(uri, "uris")
            guard ["ldap://", "ldaps://", "ldapi://"].contains(where: { uri.lowercased().hasPrefix($0) }),
                  !uri.contains(where: \.isWhitespace)
            else { throw invalid("uri \"\(RPCRouter.printable(uri))\" must be one ldap://, ldaps:// or ldapi:// URI") }
        }
        if source.startTls, !source.uris.allSatisfy({ $0.lowercased().hasPrefix("ldap://") }) {
            throw invalid("start_tls is for ldap:// URIs; an ldaps:// URI is TLS already")
        }
        try SourceFieldRules.text(source.caFile, "ca_file")
        if !source.caFile.isEmpty {
            guard source.caFile.hasPrefix("/") else { throw invalid("ca_file must be an absolute path") }
            guard FileManager.default.isReadableFile(atPath: source.caFile) else {
                throw RPCError(
                    code: .failedPrecondition,
                    message: "ca_file \(source.caFile) cannot be read by postern-password; put the CA certificates there first")
            }
        }
        let connectTimeout = try SourceFieldRules.bounded(source.connectTimeoutMs, "connect_timeout_ms", default: defaultConnectTimeoutMilliseconds, maximum: maximumTimeoutMilliseconds)
        let timeout = try SourceFieldRules.bounded(source.timeoutMs, "timeout_ms", default: defaultTimeoutMilliseconds, maximum: maximumTimeoutMilliseconds)
        let poolSize = try SourceFieldRules.bounded(source.poolSize, "pool_size", default: defaultPoolSize, maximum: maximumPoolSize)
        let queueLimit = try SourceFieldRules.bounded(source.queueLimit, "queue_limit", default: defaultQueueLimit, maximum: maximumQueueLimit)

        for (value, field) in [
            (source.bindDN, "bind_dn"), (source.bindPasswordFile, "bind_password_file"), (source.searchBase, "search_base"),
            (source.searchFilter, "search_filter"), (source.syncFilter, "sync_filter"),
        ] { try SourceFieldRules.text(value, field) }
        guard source.bindDN.isEmpty == source.bindPasswordFile.isEmpty else {
            throw invalid("bind_dn and bind_password_file go together: give both or neither")
        }
        if !source.bindPasswordFile.isEmpty {
            // Read once now, so that a path the daemon cannot read is refused here, not at the first login.
            _ = try LDAPServicePassword.read(source.bindPasswordFile, environment: environment)
        }
        let userDN: LDAPSourceSettings.UserDN
        switch source.userDN {
        case .ldapUserDNUnspecified, .ldapUserDNRecord: userDN = .record
        case .ldapUserDNSearch: userDN = .search
        }
        if userDN == .search {
            guard !source.bindDN.isEmpty else { throw invalid("user_dn SEARCH needs a service account: bind_dn and bind_password_file") }
            guard !source.searchBase.isEmpty else { throw invalid("user_dn SEARCH needs search_base") }
            if let problem = LDAPFilter.problem(inTemplate: source.searchFilter) { throw invalid("search_filter \(problem)") }
        } else if !source.searchFilter.isEmpty, let problem = LDAPFilter.problem(inTemplate: source.searchFilter) {
            throw invalid("search_filter \(problem)")
        }
        if source.passwordWriteback, source.bindDN.isEmpty {
            throw invalid("password_writeback needs a service account: bind_dn and bind_password_file")
        }
        let syncFilter = source.syncFilter.isEmpty ? defaultSyncFilter : source.syncFilter
        guard syncFilter.hasPrefix("("), syncFilter.hasSuffix(")") else { throw invalid("sync_filter must be a filter in parentheses") }
        let attributes = try [
            (source.usernameAttribute, "username_attribute", "uid"), (source.nameAttribute, "name_attribute", "cn"),
            (source.uniqueAttribute, "unique_attribute", "entryUUID"),
        ].map { (value, field, fallback) throws(RPCError) -> String in
            let name = value.isEmpty ? fallback : value
            guard name.utf8.count <= 128, let first = name.unicodeScalars.first, first.isASCII, CharacterSet.letters.contains(first) || CharacterSet.decimalDigits.contains(first),
                  name.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == ".") })
            else { throw invalid("\(field) must be an attribute name such as \(fallback)") }
            return name
        }
        let settings = LDAPSourceSettings(
            name: name, enabled: !source.disabled, uris: source.uris, startTLS: source.startTls,
            caFile: source.caFile.isEmpty ? nil : source.caFile, insecureSkipVerify: source.insecureSkipVerify,
            connectTimeoutMilliseconds: Int(connectTimeout), timeoutMilliseconds: Int(timeout), userDN: userDN,
            bindDN: source.bindDN.isEmpty ? nil : source.bindDN,
            bindPasswordFile: source.bindPasswordFile.isEmpty ? nil : source.bindPasswordFile,
            searchBase: source.searchBase.isEmpty ? nil : source.searchBase,
            searchFilter: source.searchFilter.isEmpty ? nil : source.searchFilter,
            updateInternalPassword: source.updateInternalPassword, passwordWriteback: source.passwordWriteback,
            poolSize: Int(poolSize), queueLimit: Int(queueLimit), syncFilter: syncFilter,
            usernameAttribute: attributes[0], nameAttribute: attributes[1], uniqueAttribute: attributes[2])
        // libldap itself must take the URIs and TLS options (nothing is sent).
        do {
            _ = try LDAPConnection(settings.server)
        } catch {
            throw invalid("uris or TLS settings refused by libldap: \(error.message)")
        }
        return settings
    }

    static func message(_ settings: LDAPSourceSettings) -> Postern.Password.V1.LDAPSource {
        Postern.Password.V1.LDAPSource(
            name: settings.name, disabled: !settings.enabled, uris: settings.uris, startTls: settings.startTLS,
            caFile: settings.caFile ?? "", insecureSkipVerify: settings.insecureSkipVerify,
            connectTimeoutMs: UInt32(settings.connectTimeoutMilliseconds), timeoutMs: UInt32(settings.timeoutMilliseconds),
            userDN: settings.userDN == .search ? .ldapUserDNSearch : .ldapUserDNRecord, bindDN: settings.bindDN ?? "",
            bindPasswordFile: settings.bindPasswordFile ?? "", searchBase: settings.searchBase ?? "",
            searchFilter: settings.searchFilter ?? "", updateInternalPassword: settings.updateInternalPassword,
            passwordWriteback: settings.passwordWriteback, poolSize: UInt32(settings.poolSize),
            queueLimit: UInt32(settings.queueLimit), syncFilter: settings.syncFilter,
            usernameAttribute: settings.usernameAttribute, nameAttribute: settings.nameAttribute,
            uniqueAttribute: settings.uniqueAttribute)
    }

    private static func invalid(_ message: String) -> RPCError { RPCError(code: .invalidArgument, message: message) }
}
