import Foundation
import PosternProtocol
import PosternRPC
import PosternWire
import Testing

@Suite struct HealthServiceTests {
    @Test func answersForTheDaemonItsServicesAndNothingElse() throws {
        let health = HealthService(daemon: "postern-x", version: "9.9", services: ["postern.x.v1.X"])
        #expect(try health.check(.init(service: "")) == .init(status: .serving, daemon: "postern-x", version: "9.9"))
        #expect(try health.check(.init(service: "postern.x.v1.X")).status == .serving)
        #expect(try health.check(.init(service: Postern.Health.V1.Health.serviceName)).status == .serving)
        #expect(throws: RPCError(code: .notFound, message: "unknown service \"postern.y.v1.Y\"")) {
            try health.check(.init(service: "postern.y.v1.Y"))
        }
        health.markNotServing()
        #expect(try health.check(.init(service: "")).status == .notServing)
    }

    /// The encoded answers are `check`'s, encoded: for an empty request (not decoded), for a
    /// named service, after the daemon stops serving; refusals are the same.
    @Test func theEncodedAnswerIsChecksAnswerEncoded() throws {
        let health = HealthService(daemon: "postern-x", version: "9.9", services: ["postern.x.v1.X"])
        let serving = Postern.Health.V1.HealthCheckResponse(status: .serving, daemon: "postern-x", version: "9.9")
        #expect(try Postern.Health.V1.HealthCheckResponse(protobuf: health.answer(to: [])) == serving)
        #expect(try Postern.Health.V1.HealthCheckResponse(protobuf: health.answer(to: Postern.Health.V1.HealthCheckRequest(service: "postern.x.v1.X").protobuf())) == serving)
        #expect(throws: RPCError(code: .notFound, message: "unknown service \"postern.y.v1.Y\"")) {
            try health.answer(to: Postern.Health.V1.HealthCheckRequest(service: "postern.y.v1.Y").protobuf())
        }
        let refused = #expect(throws: RPCError.self) { try health.answer(to: [0xff, 0xff]) }
        #expect(refused?.code == .invalidArgument)
        health.markNotServing()
        #expect(try Postern.Health.V1.HealthCheckResponse(protobuf: health.answer(to: [])).status == .notServing)
        #expect(try Postern.Health.V1.HealthCheckResponse(protobuf: health.answer(to: Postern.Health.V1.HealthCheckRequest(service: "postern.x.v1.X").protobuf())).status
            == .notServing)
    }

    /// Graceful shutdown: while calls drain, open connections hear NOT_SERVING; then the
    /// socket file is gone and new connections are refused.
    @Test func shutdownTurnsHealthToNotServingAndRemovesTheSocket() async throws {
        let health = HealthService(daemon: "postern-x", version: "1", services: [])
        var router = RPCRouter()
        router.register(health)
        let holding = AsyncStream<Void>.makeStream()
        router.register(MethodDescriptor(path: "/postern.test.v1.Hold/Hold", access: .read)) { (_: Postern.Health.V1.HealthCheckRequest, _) in .later {
            holding.continuation.yield()
            try await Task.sleep(for: .milliseconds(800))  // keeps the server draining
            return Postern.Health.V1.HealthCheckResponse(status: .serving)
        } }
        try await withRunningServer(router, onGracefulShutdown: { health.markNotServing() }) { server in
            let client = try await RPCClient.connect(to: server.path)
            #expect(try await client.checkHealthStatus() == .serving)
            async let held = client.call(.test("/postern.test.v1.Hold/Hold"), Postern.Health.V1.HealthCheckRequest())
            // Stop only once the server runs the call (a fixed sleep was not enough on a
            // loaded machine: the stop found nothing running and closed the connection).
            var started = holding.stream.makeAsyncIterator()
            _ = await started.next()

            await server.beginStop()
            var status = Postern.Health.V1.HealthCheckResponse.ServingStatus.serving
            for _ in 0..<100 where status == .serving {
                status = try await client.checkHealthStatus()
                if status == .serving { try await Task.sleep(for: .milliseconds(5)) }
            }
            #expect(status == .notServing)
            #expect(try await held.status == .serving, "the call running at the stop still gets its answer")

            await server.waitUntilStopped()
            #expect(!FileManager.default.fileExists(atPath: server.path))
            let refused = await #expect(throws: RPCError.self) { _ = try await RPCClient.connect(to: server.path) }
            #expect(refused?.code == .unavailable)
            await client.close()
        }
    }
}

extension RPCClient {
    fileprivate func checkHealthStatus() async throws -> Postern.Health.V1.HealthCheckResponse.ServingStatus {
        try await call(Postern.Health.V1.Health.check, Postern.Health.V1.HealthCheckRequest()).status
    }
}
