import Foundation
import Logging
import PosternLDAP
import PosternProtocol
import PosternRPC
import PosternStore
import PosternWire

/// `postern.password.v1.LDAPSources` (class `admin`): the LDAP sources' settings, and sync.
/// Every change is stored first and then served: the sources are loaded again from the store.
struct LDAPSourcesService: RPCService {
    static let serviceName = Postern.Password.V1.LDAPSources.serviceName
    /// The most entries one sync reads (the server's own size limit may be lower).
    static let syncLimit: Int32 = 100_000

    let store: PasswordStore
    let sources: LDAPSources
    let environment: [String: String]
    let logger: Logger

    func registerMethods(with router: inout RPCRouter) {
        typealias V1 = Postern.Password.V1
        router.register(V1.LDAPSources.create) { (request: V1.CreateLDAPSourceRequest, _) in .later {
            let settings = try settings(request.source)
            try await stored { () throws(StoreError) in try await store.insert(settings, now: Date()) }
            try await reload()
            logger.notice("ldap_source_created", metadata: ["source": "\(settings.name)"])
            return message(settings)
        } }
        router.register(V1.LDAPSources.update) { (request: V1.UpdateLDAPSourceRequest, _) in .later {
            let settings = try settings(request.source)
            guard try await stored({ () throws(StoreError) in try await store.replace(settings, now: Date()) }) else {
                throw notFound(settings.name)
            }
            try await reload()
            logger.notice("ldap_source_updated", metadata: ["source": "\(settings.name)"])
            return message(settings)
        } }
        router.register(V1.LDAPSources.get) { (request: V1.GetLDAPSourceRequest, _) in .later {
            guard let settings = try await stored({ () throws(StoreError) in try await store.ldapSource(named: request.name) }) else {
                throw notFound(request.name)
            }
            return message(settings)
        } }
        router.register(V1.LDAPSources.list) { (_: V1.ListLDAPSourcesRequest, _) in .later {
            V1.ListLDAPSourcesResponse(sources: try await stored { () throws(StoreError) in try await store.ldapSources() }.map(message))
        } }
        router.register(V1.LDAPSources.delete) { (request: V1.DeleteLDAPSourceRequest, _) in .later {
            guard try await stored({ () throws(StoreError) in try await store.deleteLDAPSource(named: request.name) }) else {
                throw notFound(request.name)
            }
            try await reload()
            logger.notice("ldap_source_deleted", metadata: ["source": "\(request.name)"])
            return V1.DeleteLDAPSourceResponse()
        } }
        router.register(V1.LDAPSources.sync) { (request: V1.SyncLDAPSourceRequest, _) in .later {
            try await sync(request)
        } }
    }

    /// Serves what the store holds now.
    func reload() async throws(RPCError) {
        try await sources.reload { () throws(RPCError) in try await stored { () throws(StoreError) in try await store.ldapSources() } }
    }

    private func settings(_ source: Postern.Password.V1.LDAPSource?) throws(RPCError) -> LDAPSourceSettings {
        guard let source else { throw RPCError(code: .invalidArgument, message: "source is missing") }
        guard source.counters == nil else {
            throw RPCError(code: .invalidArgument, message: "counters is output only: leave it out of the request")
        }
        return try LDAPSourceRules.settings(source, environment: environment)
    }

    /// The settings with the counters of the source being served.
    private func message(_ settings: LDAPSourceSettings) -> Postern.Password.V1.LDAPSource {
        var message = LDAPSourceRules.message(settings)
        if let runtime = sources.named(settings.name) {
            let counts = runtime.counters.current
            message.counters = Postern.Password.V1.LDAPSourceCounters(
                accepted: counts.accepted, refused: counts.refused, unreachable: counts.unreachable, timeout: counts.timeout,
                tls: counts.tls, other: counts.other, queueFull: counts.queueFull,
                idleConnections: UInt32(runtime.idleConnections), waiting: UInt32(runtime.waiting))
        }
        return message
    }

    private func sync(_ request: Postern.Password.V1.SyncLDAPSourceRequest) async throws(RPCError) -> Postern.Password.V1.SyncLDAPSourceResponse {
        guard let settings = try await stored({ () throws(StoreError) in try await store.ldapSource(named: request.name) }) else {
            throw notFound(request.name)
        }
        guard let runtime = sources.named(settings.name) else {
            throw RPCError(code: .failedPrecondition, message: "LDAP source \(settings.name) is disabled; enable it to sync")
        }
        guard settings.hasServiceAccount, let base = settings.searchBase else {
            throw RPCError(
                code: .failedPrecondition,
                message: "LDAP source \(settings.name) needs bind_dn, bind_password_file and search_base to sync")
        }
        let found: [PosternLDAP.LDAPEntry]
        switch try await runtime.search(
            base: base, filter: settings.syncFilter,
            attributes: [settings.usernameAttribute, settings.nameAttribute, settings.uniqueAttribute], limit: Self.syncLimit)
        {
        case .success(let entries): found = entries
        case .failure(let error):
            logger.warning("ldap_sync_failed", metadata: ["source": "\(settings.name)", "reason": "\(error.kind.rawValue)", "detail": "\(error.message)"])
            let code: StatusCode = error.kind == .refused || error.kind == .badRequest ? .failedPrecondition : .unavailable
            throw RPCError(code: code, message: "the sync search failed (\(error.kind.rawValue)): \(error.message)")
        }
        let (entries, skipped) = LDAPSync.entries(found, settings: settings)
        var report = try await store.syncLDAPUsers(source: settings.name, entries: entries, dryRun: request.dryRun, now: Date())
        report.skipped = skipped + report.skipped
        logger.notice(
            "ldap_sync",
            metadata: [
                "source": "\(settings.name)", "dry_run": "\(request.dryRun)", "created": "\(report.created)",
                "updated": "\(report.updated)", "unchanged": "\(report.unchanged)", "deactivated": "\(report.deactivated)",
                "skipped": "\(report.skipped.count)",
            ])
        return Postern.Password.V1.SyncLDAPSourceResponse(
            created: UInt32(report.created), updated: UInt32(report.updated), unchanged: UInt32(report.unchanged),
            deactivated: UInt32(report.deactivated), skipped: report.skipped)
    }

    private func notFound(_ name: String) -> RPCError {
        RPCError(code: .notFound, message: "no LDAP source named \"\(RPCRouter.printable(name))\"")
    }

    private func stored<T>(_ operation: () async throws(StoreError) -> T) async throws(RPCError) -> T {
        try await storeCall(logger, operation)
    }
}
