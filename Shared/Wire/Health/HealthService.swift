import PosternProtocol
import Synchronization

/// `postern.health.v1.Health`: answers SERVING while the daemon serves, NOT_SERVING once it
/// is shutting down, and NOT_FOUND for a service name the daemon does not serve.
public final class HealthService: RPCService {
    public static let serviceName = HealthMethods.service

    private let daemon: String
    private let version: String
    private let serviceNames: Set<String>
    private let serving = Mutex(true)

    /// - Parameters:
    ///   - daemon: the executable's name, returned in every answer.
    ///   - services: the names of the other services the daemon registers.
    public init(daemon: String, version: String, services: [String]) {
        self.daemon = daemon
        self.version = version
        self.serviceNames = Set(services + [Self.serviceName])
    }

    /// From now on answer NOT_SERVING (the daemon is draining).
    public func markNotServing() {
        serving.withLock { $0 = false }
    }

    public func check(_ request: HealthCheckRequest) throws(RPCError) -> HealthCheckResponse {
        guard request.service.isEmpty || serviceNames.contains(request.service) else {
            throw RPCError(code: .notFound, message: "unknown service \"\(RPCRouter.printable(request.service))\"")
        }
        let status: HealthCheckResponse.ServingStatus = serving.withLock { $0 } ? .serving : .notServing
        return HealthCheckResponse(status: status, daemon: daemon, version: version)
    }

    public func registerMethods(with router: inout RPCRouter) {
        router.register(HealthMethods.check, access: .open, synchronous: { [self] (request: HealthCheckRequest, _) in
            try self.check(request)
        })
    }
}
