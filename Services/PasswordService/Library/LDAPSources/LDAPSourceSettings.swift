import Foundation
import PosternLDAP

/// One LDAP source as stored: every field resolved (no "0 means default" left), stored as a
/// JSON object in `ldap_source.settings`. docs/ldap.md describes each field.
public struct LDAPSourceSettings: Sendable, Equatable, Codable {
    public enum UserDN: String, Sendable, Codable {
        case record, search
    }

    public var name: String
    public var enabled: Bool
    public var uris: [String]
    public var startTLS: Bool
    public var caFile: String?
    public var insecureSkipVerify: Bool
    public var connectTimeoutMilliseconds: Int
    public var timeoutMilliseconds: Int
    public var userDN: UserDN
    public var bindDN: String?
    public var bindPasswordFile: String?
    public var searchBase: String?
    public var searchFilter: String?
    public var updateInternalPassword: Bool
    public var passwordWriteback: Bool
    public var poolSize: Int
    public var queueLimit: Int
    public var syncFilter: String
    public var usernameAttribute: String
    public var nameAttribute: String
    public var uniqueAttribute: String

    enum CodingKeys: String, CodingKey {
        case name, enabled, uris
        case startTLS = "start_tls"
        case caFile = "ca_file"
        case insecureSkipVerify = "insecure_skip_verify"
        case connectTimeoutMilliseconds = "connect_timeout_ms"
        case timeoutMilliseconds = "timeout_ms"
        case userDN = "user_dn"
        case bindDN = "bind_dn"
        case bindPasswordFile = "bind_password_file"
        case searchBase = "search_base"
        case searchFilter = "search_filter"
        case updateInternalPassword = "update_internal_password"
        case passwordWriteback = "password_writeback"
        case poolSize = "pool_size"
        case queueLimit = "queue_limit"
        case syncFilter = "sync_filter"
        case usernameAttribute = "username_attribute"
        case nameAttribute = "name_attribute"
        case uniqueAttribute = "unique_attribute"
    }

    /// How its connections reach the directory.
    public var server: LDAPServer {
        LDAPServer(
            uris: uris, startTLS: startTLS, caFile: caFile, verifyCertificate: !insecureSkipVerify,
            connectTimeout: .milliseconds(connectTimeoutMilliseconds), operationTimeout: .milliseconds(timeoutMilliseconds))
    }

    /// Whether a service account is configured (searches, write-back and sync need one).
    public var hasServiceAccount: Bool { bindDN != nil && bindPasswordFile != nil }
}
