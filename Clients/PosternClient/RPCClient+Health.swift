@_exported import PosternProtocol
@_exported import PosternRPC
@_exported import PosternWire

extension RPCClient {
    /// Asks the daemon whether it (`service` "") or one of its services is serving.
    public func checkHealth(service: String = "", timeout: Duration = .seconds(5)) async throws(RPCError) -> Postern.Health.V1.HealthCheckResponse {
        try await call(Postern.Health.V1.Health.check, Postern.Health.V1.HealthCheckRequest(service: service), timeout: timeout)
    }
}
