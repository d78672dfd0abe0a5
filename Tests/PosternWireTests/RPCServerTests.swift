import PosternProtocol
import PosternRPC
import PosternWire
import Testing

/// Holds a call open until the test lets it go, and says when the call has arrived.
private final class Gate: Sendable {
    let entered = AsyncStream<Void>.makeStream()
    let opened = AsyncStream<Void>.makeStream()

    /// Returns once a gated call is running on the server.
    func waitUntilEntered() async {
        var calls = entered.stream.makeAsyncIterator()
        _ = await calls.next()
    }

    func open() { opened.continuation.yield() }
}

/// A test service: Echo answers at once (an async handler that never suspends), SyncEcho the
/// same from a synchronous handler; Slow answers after the milliseconds it is asked for;
/// Gated answers when the test opens its gate.
private struct EchoService: RPCService {
    static let serviceName = "postern.test.v1.Echo"
    static let echo = "/postern.test.v1.Echo/Echo"
    static let slow = "/postern.test.v1.Echo/Slow"
    static let syncEcho = "/postern.test.v1.Echo/SyncEcho"
    static let gated = "/postern.test.v1.Echo/Gated"
    let gate: Gate

    func registerMethods(with router: inout RPCRouter) {
        let gate = self.gate
        router.register(MethodDescriptor(path: Self.gated, access: .read)) { (request: Postern.Health.V1.HealthCheckRequest, _) in .later {
            gate.entered.continuation.yield()
            var opening = gate.opened.stream.makeAsyncIterator()
            _ = await opening.next()
            return Postern.Health.V1.HealthCheckResponse(status: .serving, daemon: request.service)
        } }
        router.register(MethodDescriptor(path: Self.echo, access: .read)) { (request: Postern.Health.V1.HealthCheckRequest, _) in .later {
            Postern.Health.V1.HealthCheckResponse(status: .serving, daemon: request.service)
        } }
        router.register(MethodDescriptor(path: Self.syncEcho, access: .read)) { (request: Postern.Health.V1.HealthCheckRequest, _) in
            .now(Postern.Health.V1.HealthCheckResponse(status: .serving, daemon: "sync " + request.service))
        }
        router.register(MethodDescriptor(path: Self.slow, access: .read)) { (request: Postern.Health.V1.HealthCheckRequest, _) in .later {
            try await Task.sleep(for: .milliseconds(Int(request.service) ?? 0))
            return Postern.Health.V1.HealthCheckResponse(status: .serving, daemon: request.service)
        } }
    }
}

private func echoRouter(gate: Gate = Gate()) -> RPCRouter {
    var router = RPCRouter()
    router.register(EchoService(gate: gate))
    return router
}

@Suite struct RPCServerTests {
    @Test func callsOnOneConnectionFinishOutOfOrder() async throws {
        // No timing assumptions: the first call is held open on the server until the second
        // has been answered, which a server that answered in order could never do.
        let gate = Gate()
        try await withServer(echoRouter(gate: gate)) { path in
            let client = try await RPCClient.connect(to: path)
            let order = OrderRecorder()
            async let held: Void = {
                let answer = try await client.call(.test(EchoService.gated), Postern.Health.V1.HealthCheckRequest(service: "held"))
                #expect(answer.daemon == "held")
                await order.record("held")
            }()
            await gate.waitUntilEntered()
            let fast = try await client.call(.test(EchoService.echo), Postern.Health.V1.HealthCheckRequest(service: "fast"), timeout: .seconds(20))
            #expect(fast.daemon == "fast")
            await order.record("fast")
            gate.open()
            try await held
            #expect(await order.events == ["fast", "held"])
            await client.close()
        }
    }

    @Test func synchronousAnswersOvertakeAHeldCall() async throws {
        let gate = Gate()
        try await withServer(echoRouter(gate: gate)) { path in
            let client = try await RPCClient.connect(to: path)
            async let held = client.call(.test(EchoService.gated), Postern.Health.V1.HealthCheckRequest(service: "held"))
            await gate.waitUntilEntered()
            for round in 0..<50 {  // answered on the event loop while the held call waits
                let answer = try await client.call(.test(EchoService.syncEcho), Postern.Health.V1.HealthCheckRequest(service: "\(round)"),
                    timeout: .seconds(20))
                #expect(answer.daemon == "sync \(round)")
            }
            gate.open()
            let heldAnswer = try await held
            #expect(heldAnswer.daemon == "held")
            await client.close()
        }
    }

    @Test func manyConcurrentCallsEachGetTheirOwnAnswer() async throws {
        try await withServer(echoRouter()) { path in
            let client = try await RPCClient.connect(to: path)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<100 {
                    group.addTask {
                        let answer = try await client.call(.test(EchoService.slow), Postern.Health.V1.HealthCheckRequest(service: "\(index % 7)"))
                        #expect(answer.daemon == "\(index % 7)")
                    }
                }
                try await group.waitForAll()
            }
            await client.close()
        }
    }

    @Test func undecodablePayloadIsInvalidArgument() async throws {
        try await withServer(echoRouter()) { path in
            let client = try await RPCClient.connect(to: path)
            let error = await #expect(throws: RPCError.self) {
                _ = try await client.call(EchoService.echo, payload: [0x0A, 0x09, 0x61])
            }
            #expect(error?.code == .invalidArgument)
            await client.close()
        }
    }

    @Test func clientTimeoutIsDeadlineExceeded() async throws {
        try await withServer(echoRouter()) { path in
            let client = try await RPCClient.connect(to: path)
            let error = await #expect(throws: RPCError.self) {
                _ = try await client.call(.test(EchoService.slow), Postern.Health.V1.HealthCheckRequest(service: "2000"),
                    timeout: .milliseconds(100))
            }
            #expect(error?.code == .deadlineExceeded)
            // The connection still works after a timed-out call.
            let answer = try await client.call(.test(EchoService.echo), Postern.Health.V1.HealthCheckRequest(service: "ok"))
            #expect(answer.daemon == "ok")
            await client.close()
        }
    }

    @Test func oversizedFrameGetsResourceExhaustedNamingTheLimitThenClose() async throws {
        try await withServer(echoRouter(), maximumFrameLength: 4096) { path in
            let connection = try RawConnection(path: path)
            connection.send([0x00, 0x10, 0x00, 0x00])  // announces 1 MiB; no body follows
            let answer = try #require(try await connection.readEnvelope())
            #expect(answer.callID == 0)
            #expect(answer.status == .resourceExhausted)
            #expect(answer.statusMessage.contains("4096"))
            #expect(try await connection.isClosedByPeer())
        }
    }

    @Test func undecodableEnvelopeGetsAStatusThenClose() async throws {
        try await withServer(echoRouter()) { path in
            let connection = try RawConnection(path: path)
            connection.send([0x00, 0x00, 0x00, 0x03, 0xFF, 0xFF, 0xFF])
            let answer = try #require(try await connection.readEnvelope())
            #expect(answer.status == .invalidArgument)
            #expect(answer.statusMessage.contains("Envelope"))
            #expect(try await connection.isClosedByPeer())
        }
    }

    @Test func zeroCallIDIsInvalidArgumentAndTheConnectionStays() async throws {
        try await withServer(echoRouter()) { path in
            let connection = try RawConnection(path: path)
            connection.send(frame(.request(callID: 0, method: EchoService.echo, payload: [])))
            let refused = try #require(try await connection.readEnvelope())
            #expect(refused.status == .invalidArgument)
            connection.send(frame(.request(callID: 9, method: EchoService.echo, payload: Postern.Health.V1.HealthCheckRequest(service: "x").protobuf())))
            let answer = try #require(try await connection.readEnvelope())
            #expect(answer.callID == 9)
            #expect(answer.status == .ok)
        }
    }
}

private actor OrderRecorder {
    var events: [String] = []
    func record(_ event: String) { events.append(event) }
}
