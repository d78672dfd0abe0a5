import Foundation
import Logging
import PosternProtocol
import PosternRPC
import PosternStore
import PosternWire

/// `postern.password.v1.KerberosSources` (class `admin`): the Kerberos sources' settings. Every
/// change is stored first and then served: the sources are loaded again from the store.
struct KerberosSourcesService: RPCService {
    static let serviceName = Postern.Password.V1.KerberosSources.serviceName

    let store: PasswordStore
    let sources: KerberosSources
    let environment: [String: String]
    let logger: Logger

    func registerMethods(with router: inout RPCRouter) {
        typealias V1 = Postern.Password.V1
        router.register(V1.KerberosSources.create) { (request: V1.CreateKerberosSourceRequest, _) in .later {
            let settings = try settings(request.source)
            try await stored { () throws(StoreError) in try await store.insert(settings, into: .kerberos, now: Date()) }
            try await reload()
            logger.notice("kerberos_source_created", metadata: ["source": "\(settings.name)"])
            return message(settings)
        } }
        router.register(V1.KerberosSources.update) { (request: V1.UpdateKerberosSourceRequest, _) in .later {
            let settings = try settings(request.source)
            guard try await stored({ () throws(StoreError) in try await store.replace(settings, in: .kerberos, now: Date()) }) else {
                throw notFound(settings.name)
            }
            try await reload()
            logger.notice("kerberos_source_updated", metadata: ["source": "\(settings.name)"])
            return message(settings)
        } }
        router.register(V1.KerberosSources.get) { (request: V1.GetKerberosSourceRequest, _) in .later {
            let found: KerberosSourceSettings? = try await stored { () throws(StoreError) in
                try await store.source(named: request.name, in: .kerberos)
            }
            guard let found else { throw notFound(request.name) }
            return message(found)
        } }
        router.register(V1.KerberosSources.list) { (_: V1.ListKerberosSourcesRequest, _) in .later {
            let all: [KerberosSourceSettings] = try await stored { () throws(StoreError) in try await store.sources(in: .kerberos) }
            return V1.ListKerberosSourcesResponse(sources: all.map(message))
        } }
        router.register(V1.KerberosSources.delete) { (request: V1.DeleteKerberosSourceRequest, _) in .later {
            guard try await stored({ () throws(StoreError) in try await store.deleteSource(named: request.name, from: .kerberos) }) else {
                throw notFound(request.name)
            }
            try await reload()
            logger.notice("kerberos_source_deleted", metadata: ["source": "\(request.name)"])
            return V1.DeleteKerberosSourceResponse()
        } }
    }

    /// Serves what the store holds now.
    func reload() async throws(RPCError) {
        try await sources.reload { () throws(RPCError) in try await stored { () throws(StoreError) in try await store.sources(in: .kerberos) } }
    }

    private func settings(_ source: Postern.Password.V1.KerberosSource?) throws(RPCError) -> KerberosSourceSettings {
        guard let source else { throw RPCError(code: .invalidArgument, message: "source is missing") }
        guard source.counters == nil else {
            throw RPCError(code: .invalidArgument, message: "counters is output only: leave it out of the request")
        }
        return try KerberosSourceRules.settings(source, environment: environment)
    }

    /// The settings with the counters of the source being served.
    private func message(_ settings: KerberosSourceSettings) -> Postern.Password.V1.KerberosSource {
        var message = KerberosSourceRules.message(settings)
        if let runtime = sources.named(settings.name) {
            let c = runtime.counters.current
            message.counters = Postern.Password.V1.KerberosSourceCounters(
                accepted: c.accepted, refused: c.refused, expired: c.expired, unreachable: c.unreachable, timeout: c.timeout,
                unverified: c.unverified, clockSkew: c.clockSkew, other: c.other, queueFull: c.queueFull,
                waiting: UInt32(runtime.waiting))
        }
        return message
    }

    private func notFound(_ name: String) -> RPCError {
        RPCError(code: .notFound, message: "no Kerberos source named \"\(RPCRouter.printable(name))\"")
    }

    private func stored<T>(_ operation: () async throws(StoreError) -> T) async throws(RPCError) -> T {
        try await storeCall(logger, operation)
    }
}
