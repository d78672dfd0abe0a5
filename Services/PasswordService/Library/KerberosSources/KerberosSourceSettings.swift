import Foundation
import PosternKerberos

/// One Kerberos source as stored: every field resolved (no "0 means default" left), stored as
/// a JSON object in `kerberos_source.settings`. docs/kerberos.md describes each field.
public struct KerberosSourceSettings: SourceSettings, Codable {
    public var name: String
    public var enabled: Bool
    public var realm: String
    public var kdcs: [String]
    public var timeoutMilliseconds: Int
    public var keytab: String?
    public var servicePrincipal: String?
    public var allowUnverified: Bool
    public var updateInternalPassword: Bool
    public var passwordWriteback: Bool
    public var kpasswdServer: String?
    public var adminPrincipal: String?
    public var adminKeytab: String?
    public var poolSize: Int
    public var queueLimit: Int

    enum CodingKeys: String, CodingKey {
        case name, enabled, realm, kdcs, keytab
        case timeoutMilliseconds = "timeout_ms"
        case servicePrincipal = "service_principal"
        case allowUnverified = "allow_unverified"
        case updateInternalPassword = "update_internal_password"
        case passwordWriteback = "password_writeback"
        case kpasswdServer = "kpasswd_server"
        case adminPrincipal = "admin_principal"
        case adminKeytab = "admin_keytab"
        case poolSize = "pool_size"
        case queueLimit = "queue_limit"
    }

    var kerberosRealm: KerberosRealm { KerberosRealm(realm: realm, kdcs: kdcs, kpasswdServer: kpasswdServer) }
    var timeout: Duration { .milliseconds(timeoutMilliseconds) }
}
