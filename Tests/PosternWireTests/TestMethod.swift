import PosternProtocol

extension MethodDescriptor
where Request == Postern.Health.V1.HealthCheckRequest, Response == Postern.Health.V1.HealthCheckResponse {
    /// A method of the tests' own, taking and answering Health's messages.
    static func test(_ path: String, access: MethodAccess = .read) -> Self { Self(path: path, access: access) }
}
