import PosternProtocol
import Synchronization

/// `postern.health.v1.Health`: answers SERVING while the daemon serves, NOT_SERVING once it
/// is shutting down, and NOT_FOUND for a service name the daemon does not serve.
public final class HealthService: RPCService {
    public static let serviceName = Postern.Health.V1.Health.serviceName

    private let daemon: String
    private let version: String
    private let serviceNames: Set<String>
    private let serving = Mutex(true)
    /// The answers to a check of a service this daemon serves, encoded once: Health is polled
    /// often, and its answer changes once in a daemon's life. Decoding the request and encoding
    /// the answer on every call cost a tenth of the daemon's Health throughput
    /// (docs/benchmarks.md, "wire").
    private let servingAnswer: [UInt8]
    private let notServingAnswer: [UInt8]

    /// - Parameters:
    ///   - daemon: the executable's name, returned in every answer.
    ///   - services: the names of the other services the daemon registers.
    public init(daemon: String, version: String, services: [String]) {
        self.daemon = daemon
        self.version = version
        self.serviceNames = Set(services + [Self.serviceName])
        servingAnswer = Postern.Health.V1.HealthCheckResponse(status: .serving, daemon: daemon, version: version).protobuf()
        notServingAnswer = Postern.Health.V1.HealthCheckResponse(status: .notServing, daemon: daemon, version: version).protobuf()
    }

    /// From now on answer NOT_SERVING (the daemon is draining).
    public func markNotServing() {
        serving.withLock { $0 = false }
    }

    public func check(_ request: Postern.Health.V1.HealthCheckRequest) throws(RPCError) -> Postern.Health.V1.HealthCheckResponse {
        guard request.service.isEmpty || serviceNames.contains(request.service) else {
            throw RPCError(code: .notFound, message: "unknown service \"\(RPCRouter.printable(request.service))\"")
        }
        let status: Postern.Health.V1.HealthCheckResponse.ServingStatus = serving.withLock { $0 } ? .serving : .notServing
        return Postern.Health.V1.HealthCheckResponse(status: status, daemon: daemon, version: version)
    }

    /// `check`'s answer to an encoded request, encoded: one of the two kept encoded. An empty
    /// request (the daemon as a whole) is not decoded.
    public func answer(to payload: [UInt8]) throws(RPCError) -> [UInt8] {
        let request: Postern.Health.V1.HealthCheckRequest = payload.isEmpty ? Postern.Health.V1.HealthCheckRequest(service: "") : try RPCRouter.decodeOrRefuse(payload)
        return try check(request).status == .serving ? servingAnswer : notServingAnswer
    }

    public func registerMethods(with router: inout RPCRouter) {
        router.register(Postern.Health.V1.Health.check, raw: { [self] payload, _ in
            .now(try self.answer(to: payload))
        })
    }
}
