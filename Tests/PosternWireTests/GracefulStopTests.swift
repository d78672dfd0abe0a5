import Foundation
import PosternProtocol
import PosternRPC
import PosternWire
import Testing

/// Sleep (class read) answers after the milliseconds it is asked for, and says when it starts.
private struct SleepService: RPCService {
    static let serviceName = "postern.test.v1.Sleep"
    static let sleep = "/postern.test.v1.Sleep/Sleep"
    let started: AsyncStream<Void>.Continuation

    func registerMethods(with router: inout RPCRouter) {
        let started = self.started
        router.register(MethodDescriptor(path: Self.sleep, access: .read)) { (request: Postern.Health.V1.HealthCheckRequest, _) in .later {
            started.yield()
            try await Task.sleep(for: .milliseconds(Int(request.service) ?? 0))
            return Postern.Health.V1.HealthCheckResponse(status: .serving, daemon: request.service)
        } }
    }
}

/// Starts a server, sends one Sleep call of `milliseconds`, begins a graceful stop while it
/// runs, and reports the call's outcome and how long the stop took.
private func stopDuringACall(
    milliseconds: Int, gracePeriod: Duration
) async throws -> (answer: Result<Postern.Health.V1.HealthCheckResponse, RPCError>, stopTook: Duration) {
    var router = RPCRouter()
    let started = AsyncStream<Void>.makeStream()
    router.register(SleepService(started: started.continuation))
    return try await withRunningServer(router, configure: { $0.shutdownGracePeriod = gracePeriod }) { server in
        let client = try await RPCClient.connect(to: server.path)
        async let answer: Result<Postern.Health.V1.HealthCheckResponse, RPCError> = {
            do {
                return .success(try await client.call(.test(SleepService.sleep), Postern.Health.V1.HealthCheckRequest(service: "\(milliseconds)")))
            } catch {
                return .failure(error as? RPCError ?? RPCError(code: .unknown, message: "\(error)"))
            }
        }()
        // Stop only once the server runs the call; a fixed sleep may not be enough on a
        // loaded machine, and a stop that finds nothing running closes the connection.
        var running = started.stream.makeAsyncIterator()
        _ = await running.next()
        let stopping = ContinuousClock.now
        await server.beginStop()
        await server.waitUntilStopped()
        let stopTook = ContinuousClock.now - stopping
        let outcome = await answer
        await client.close()
        return (outcome, stopTook)
    }
}

@Suite struct GracefulStopTests {
    @Test func aCallRunningAtStopFinishesAndIsAnswered() async throws {
        let (answer, _) = try await stopDuringACall(milliseconds: 600, gracePeriod: .seconds(10))
        #expect(try answer.get().daemon == "600")
    }

    @Test func theStopDoesNotWaitPastTheGracePeriod() async throws {
        let (answer, stopTook) = try await stopDuringACall(milliseconds: 8_000, gracePeriod: .milliseconds(200))
        #expect(stopTook < .seconds(6), "the stop waited for the 8 s call instead of 200 ms")
        // The call had no answer when the stop completed; it is abandoned, never answered OK
        // before its 8 seconds.
        if case .success = answer { Issue.record("an 8 s call was answered although the server stopped") }
    }
}
