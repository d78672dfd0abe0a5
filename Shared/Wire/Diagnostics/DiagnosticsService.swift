import PosternProtocol

/// `postern.diagnostics.v1.Diagnostics`: a method that sleeps, so that tests can hold a call
/// open (deadlines, answers out of order, graceful stop). Served only when configured.
public struct DiagnosticsService: RPCService {
    public static let serviceName = DiagnosticsMethods.service

    public init() {}

    public func registerMethods(with router: inout RPCRouter) {
        router.register(DiagnosticsMethods.sleep, access: .read) { (request: SleepRequest, _) async throws in
            guard request.milliseconds <= DiagnosticsMethods.maximumSleepMilliseconds else {
                throw RPCError(
                    code: .invalidArgument,
                    message: "milliseconds is \(request.milliseconds); at most \(DiagnosticsMethods.maximumSleepMilliseconds)")
            }
            try await Task.sleep(for: .milliseconds(Int(request.milliseconds)))
            return SleepResponse(milliseconds: request.milliseconds)
        }
    }
}
