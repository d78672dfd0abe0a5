import PosternProtocol

/// `postern.diagnostics.v1.Diagnostics`: a method that sleeps, so that tests can hold a call
/// open (deadlines, answers out of order, graceful stop). Served only when configured.
public struct DiagnosticsService: RPCService {
    public static let serviceName = Postern.Diagnostics.V1.Diagnostics.serviceName

    /// The longest sleep a call may ask for: ten minutes.
    public static let maximumSleepMilliseconds: UInt32 = 600_000

    public init() {}

    public func registerMethods(with router: inout RPCRouter) {
        router.register(Postern.Diagnostics.V1.Diagnostics.sleep) { request, _ in .later {
            guard request.milliseconds <= Self.maximumSleepMilliseconds else {
                throw RPCError(
                    code: .invalidArgument,
                    message: "milliseconds is \(request.milliseconds); at most \(Self.maximumSleepMilliseconds)")
            }
            try await Task.sleep(for: .milliseconds(Int(request.milliseconds)))
            return Postern.Diagnostics.V1.SleepResponse(milliseconds: request.milliseconds)
        } }
    }
}
