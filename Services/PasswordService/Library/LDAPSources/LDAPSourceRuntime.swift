import Foundation
import Logging
import PosternHashing
import PosternLDAP
import PosternRPC
import Synchronization

/// One enabled LDAP source at run time: its settings, a pool of `pool_size` threads with a
/// bounded queue (no bind ever runs on an event loop or Swift's cooperative pool), and the
/// connections those threads reuse. A connection is kept between logins and re-bound as the
/// next user (docs/ldap.md has the measurement behind reusing rather than connecting afresh);
/// searches go over connections kept bound as the service account, so a login in search mode
/// is one search and one bind as the user — never a second bind on the user's behalf.
final class LDAPSourceRuntime: Sendable {
    let settings: LDAPSourceSettings
    let counters = LDAPSourceCounters()
    private let pool: HashingPool
    /// Connections not in use, for binds as users and bound as the service account.
    private let idle = IdleConnections()
    private let idleService = IdleConnections()
    private let environment: [String: String]

    /// What a bind as the user came to.
    enum Verdict: Sendable {
        case accepted(dn: String)
        /// A wrong password, no such DN, no DN for the user, or no entry found.
        case refused(reason: String)
        case failed(LDAPError)
    }

    init(settings: LDAPSourceSettings, environment: [String: String]) {
        self.settings = settings
        self.environment = environment
        pool = HashingPool(
            threads: settings.poolSize, queueLimit: settings.queueLimit, name: "postern-ldap", jobs: "LDAP logins",
            stopped: "LDAP source \(settings.name) was changed or deleted meanwhile; try again")
    }

    func stop() { pool.stop() }

    /// Connections open and idle now.
    var idleConnections: Int { idle.count + idleService.count }
    var waiting: Int { pool.waiting }

    /// Binds as the user: `dn` from their record, else (search mode) the one entry the search
    /// for `username` finds. RESOURCE_EXHAUSTED when the queue is full.
    func check(username: String, dn: String?, password: [UInt8]) async throws(RPCError) -> Verdict {
        let settings = settings
        let verdict: Verdict
        do {
            verdict = try await pool.run { [self] () -> Verdict in
                do throws(LDAPError) {
                    let found: String? = if let dn { dn } else { try findDN(username) }
                    guard let dn = found else {
                        return .refused(reason: settings.userDN == .record ? "no_dn" : "no_entry")
                    }
                    try withConnection(service: false) { connection throws(LDAPError) in
                        try connection.bind(dn: dn, password: password)
                    }
                    return .accepted(dn: dn)
                } catch {
                    return error.kind == .invalidCredentials ? .refused(reason: "invalid_credentials") : .failed(error)
                }
            }
        } catch {
            if error.code == .resourceExhausted { counters.queueFull() }
            throw error
        }
        switch verdict {
        case .accepted: counters.accepted()
        case .refused: counters.refused()
        case .failed(let error): counters.failed(error)
        }
        return verdict
    }

    /// Sets `dn`'s password in the directory as the service account (RFC 3062).
    func modifyPassword(dn: String, to password: [UInt8]) async throws(RPCError) -> Result<Void, LDAPError> {
        try await pool.run { [self] () -> Result<Void, LDAPError> in
            do throws(LDAPError) {
                try withConnection(service: true) { connection throws(LDAPError) in
                    try connection.modifyPassword(dn: dn, newPassword: password)
                }
                return .success(())
            } catch {
                return .failure(error)
            }
        }
    }

    /// A search as the service account.
    func search(base: String, filter: String, attributes: [String], limit: Int32) async throws(RPCError) -> Result<[LDAPEntry], LDAPError> {
        try await pool.run { [self] () -> Result<[LDAPEntry], LDAPError> in
            do throws(LDAPError) {
                return .success(try withConnection(service: true) { connection throws(LDAPError) in
                    try connection.search(base: base, filter: filter, attributes: attributes, limit: limit)
                })
            } catch {
                return .failure(error)
            }
        }
    }

    /// The DN of the one entry the user search finds for `username`; nil when none or several.
    private func findDN(_ username: String) throws(LDAPError) -> String? {
        guard settings.userDN == .search, let base = settings.searchBase, let template = settings.searchFilter else { return nil }
        let filter = LDAPFilter.filling(template, username: username)
        let entries = try withConnection(service: true) { connection throws(LDAPError) in
            // Two are enough to tell "several".
            try connection.search(base: base, filter: filter, attributes: ["1.1"], limit: 2)
        }
        return entries.count == 1 ? entries[0].dn : nil
    }

    /// Runs `body` on an idle connection or a new one (bound as the service account when
    /// `service`), and keeps the connection for the next job unless the error broke it. A
    /// reused connection that finds the server gone is replaced once: the server may have
    /// restarted since.
    private func withConnection<T>(service: Bool, _ body: (LDAPConnection) throws(LDAPError) -> T) throws(LDAPError) -> T {
        let list = service ? idleService : idle
        var reused = list.take()
        while true {
            let connection: PooledConnection = if let reused { reused } else { try fresh(service: service) }
            do {
                let value = try body(connection.connection)
                list.put(connection)
                return value
            } catch {
                if error.connectionUsable {
                    list.put(connection)
                    throw error
                }
                guard reused != nil, error.kind == .unreachable else { throw error }
                reused = nil
            }
        }
    }

    private func fresh(service: Bool) throws(LDAPError) -> PooledConnection {
        let connection = try LDAPConnection(settings.server)
        if service {
            guard let dn = settings.bindDN, let reference = settings.bindPasswordFile else {
                throw LDAPError(.badRequest, code: -12, message: "no service account configured (bind_dn)")
            }
            let password: [UInt8]
            do {
                password = try LDAPServicePassword.read(reference, environment: environment)
            } catch {
                throw LDAPError(.badRequest, code: -12, message: error.message)
            }
            do {
                try connection.bind(dn: dn, password: password)
            } catch {
                // The service account's own bind refused: say so, not "invalid credentials" of a user.
                throw error.kind == .invalidCredentials
                    ? LDAPError(.refused, code: error.code, message: "the service account's bind was refused: \(error.message)")
                    : error
            }
        } else {
            try connection.connect()
        }
        return PooledConnection(connection)
    }
}

/// Connections not in use; at most one per pool thread, so at most `pool_size`.
private final class IdleConnections: Sendable {
    private let connections = Mutex<[PooledConnection]>([])
    var count: Int { connections.withLock { $0.count } }
    func take() -> PooledConnection? { connections.withLock { $0.popLast() } }
    func put(_ connection: PooledConnection) { connections.withLock { $0.append(connection) } }
}

/// A connection handed from one pool thread to the next through the idle lists: only ever used
/// by the one thread that took it out.
private final class PooledConnection: @unchecked Sendable {
    let connection: LDAPConnection
    init(_ connection: LDAPConnection) { self.connection = connection }
}
