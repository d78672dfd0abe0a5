import Foundation
import PosternHashing
import PosternKerberos
import PosternRPC

/// One enabled Kerberos source at run time: its settings and `pool_size` threads with a bounded
/// queue (no KDC exchange runs on an event loop or Swift's cooperative pool). Each check makes
/// its own libkrb5 context with the realm's configuration in memory and frees it after: tickets
/// never reach a credential cache, nothing is written to disk. A check that takes longer than
/// `timeout_ms` is answered as a timeout at that moment (DeadlinedJob).
final class KerberosSourceRuntime: SourceRuntime {
    let settings: KerberosSourceSettings
    let counters = KerberosSourceCounters()
    private let pool: HashingPool
    private let environment: [String: String]

    /// What a check came to.
    enum Verdict: Sendable {
        case accepted(principal: String)
        /// The realm says no: a wrong password, no such principal, an expired password (its
        /// `kind` says which), or the record's principal is of another realm.
        case refused(KerberosError)
        case failed(KerberosError)
    }

    init(settings: KerberosSourceSettings, environment: [String: String]) {
        self.settings = settings
        self.environment = environment
        pool = HashingPool(
            threads: settings.poolSize, queueLimit: settings.queueLimit, name: "postern-kerberos", jobs: "Kerberos logins",
            stopped: "Kerberos source \(settings.name) was changed or deleted meanwhile; try again")
    }

    func stop() { pool.stop() }
    var waiting: Int { pool.waiting }

    /// Checks `password` for the record's `principal`, else the username in this realm.
    func check(principal: String?, username: String, password: [UInt8]) async throws(RPCError) -> Verdict {
        let (settings, environment) = (settings, environment)
        let verdict: Verdict?
        do {
            verdict = try await DeadlinedJob.run(on: pool, within: settings.timeout) { () -> Verdict in
                do throws(KerberosError) {
                    let client = try KerberosClient(settings.kerberosRealm)
                    let name: String =
                        if let principal { Self.qualified(principal, realm: settings.realm) } else { try client.principalName(username: username) }
                    let verification = try Self.verification(settings, environment: environment)
                    try client.checkPassword(principal: name, password: password, verification: verification)
                    return .accepted(principal: name)
                } catch {
                    return error.refusesThePassword ? .refused(error) : .failed(error)
                }
            }
        } catch {
            if error.code == .resourceExhausted { counters.queueFull() }
            throw error
        }
        let answered = verdict ?? .failed(Self.timedOut(settings))
        switch answered {
        case .accepted: counters.accepted()
        case .refused(let error), .failed(let error): counters.count(error)
        }
        return answered
    }

    private static func timedOut(_ settings: KerberosSourceSettings) -> KerberosError {
        KerberosError(.timeout, code: 0, message: "no answer from the realm within \(settings.timeoutMilliseconds) ms")
    }

    /// Sets `principal`'s password in the realm as the admin principal.
    func setPassword(principal: String, to password: [UInt8]) async throws(RPCError) -> Result<Void, KerberosError> {
        let (settings, environment) = (settings, environment)
        let outcome = try await DeadlinedJob.run(on: pool, within: settings.timeout) { () -> Result<Void, KerberosError> in
            do throws(KerberosError) {
                guard let admin = settings.adminPrincipal, let reference = settings.adminKeytab else {
                    throw KerberosError(.badRequest, code: 0, message: "no admin_principal configured")
                }
                let keytab = try Self.path(reference, field: "admin_keytab", environment: environment)
                try KerberosClient(settings.kerberosRealm).setPassword(
                    principal: principal, newPassword: password, admin: admin, adminKeytab: keytab)
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        return outcome ?? .failure(Self.timedOut(settings))
    }

    /// Whether `principal` (a record's) is of this source's realm; one without a realm is.
    func holds(principal: String) -> Bool {
        guard let realm = Self.realm(of: principal) else { return true }
        return realm == settings.realm
    }

    /// The realm a principal's name ends with (after its last unescaped '@'), or nil.
    static func realm(of principal: String) -> Substring? {
        guard let at = principal.lastIndex(of: "@"), at != principal.startIndex,
              principal[principal.index(before: at)] != "\\"
        else { return nil }
        return principal[principal.index(after: at)...]
    }

    /// A record's principal with the source's realm when it names none: never the default realm
    /// of a system krb5.conf, which may be another.
    static func qualified(_ principal: String, realm: String) -> String {
        Self.realm(of: principal) == nil ? "\(principal)@\(realm)" : principal
    }

    private static func verification(
        _ settings: KerberosSourceSettings, environment: [String: String]
    ) throws(KerberosError) -> KerberosClient.Verification? {
        guard let reference = settings.keytab else { return nil }
        return KerberosClient.Verification(
            keytab: try path(reference, field: "keytab", environment: environment), service: settings.servicePrincipal)
    }

    private static func path(_ reference: String, field: String, environment: [String: String]) throws(KerberosError) -> String {
        do {
            return try SecretFileReference.path(reference, field: field, environment: environment)
        } catch {
            throw KerberosError(.keytab, code: 0, message: error.message)
        }
    }
}
