import PosternProtocol
import PosternWire
import Testing

/// A test service: Echo answers at once (an async handler that never suspends), SyncEcho the
/// same from a synchronous handler; Slow answers after the milliseconds it is asked for.
private struct EchoService: RPCService {
    static let serviceName = "postern.test.v1.Echo"
    static let echo = "/postern.test.v1.Echo/Echo"
    static let slow = "/postern.test.v1.Echo/Slow"
    static let syncEcho = "/postern.test.v1.Echo/SyncEcho"

    func registerMethods(with router: inout RPCRouter) {
        router.register(Self.echo, access: .read) { (request: HealthCheckRequest, _) in
            HealthCheckResponse(status: .serving, daemon: request.service)
        }
        router.register(Self.syncEcho, access: .read, synchronous: { (request: HealthCheckRequest, _) in
            HealthCheckResponse(status: .serving, daemon: "sync " + request.service)
        })
        router.register(Self.slow, access: .read) { (request: HealthCheckRequest, _) in
            try await Task.sleep(for: .milliseconds(Int(request.service) ?? 0))
            return HealthCheckResponse(status: .serving, daemon: request.service)
        }
    }
}

private func echoRouter() -> RPCRouter {
    var router = RPCRouter()
    router.register(EchoService())
    return router
}

@Suite struct RPCServerTests {
    @Test func callsOnOneConnectionFinishOutOfOrder() async throws {
        try await withServer(echoRouter()) { path in
            let client = try await RPCClient.connect(to: path)
            let order = OrderRecorder()
            async let slow: Void = {
                let answer = try await client.call(EchoService.slow, HealthCheckRequest(service: "400"), returning: HealthCheckResponse.self)
                #expect(answer.daemon == "400")
                await order.record("slow")
            }()
            try await Task.sleep(for: .milliseconds(50))  // the slow call is sent first
            let fast = try await client.call(EchoService.echo, HealthCheckRequest(service: "fast"), returning: HealthCheckResponse.self)
            #expect(fast.daemon == "fast")
            await order.record("fast")
            try await slow
            #expect(await order.events == ["fast", "slow"])
            await client.close()
        }
    }

    @Test func aSynchronousAnswerOvertakesASlowCallAndItsIDIsFreeAgain() async throws {
        try await withServer(echoRouter()) { path in
            let client = try await RPCClient.connect(to: path)
            async let slow = client.call(EchoService.slow, HealthCheckRequest(service: "300"), returning: HealthCheckResponse.self)
            try await Task.sleep(for: .milliseconds(50))
            for round in 0..<50 {  // answered on the event loop, one after another
                let answer = try await client.call(
                    EchoService.syncEcho, HealthCheckRequest(service: "\(round)"), returning: HealthCheckResponse.self)
                #expect(answer.daemon == "sync \(round)")
            }
            let slowAnswer = try await slow
            #expect(slowAnswer.daemon == "300")
            await client.close()
        }
    }

    @Test func manyConcurrentCallsEachGetTheirOwnAnswer() async throws {
        try await withServer(echoRouter()) { path in
            let client = try await RPCClient.connect(to: path)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<100 {
                    group.addTask {
                        let answer = try await client.call(
                            EchoService.slow, HealthCheckRequest(service: "\(index % 7)"), returning: HealthCheckResponse.self)
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
                _ = try await client.call(
                    EchoService.slow, HealthCheckRequest(service: "2000"), returning: HealthCheckResponse.self,
                    timeout: .milliseconds(100))
            }
            #expect(error?.code == .deadlineExceeded)
            // The connection still works after a timed-out call.
            let answer = try await client.call(EchoService.echo, HealthCheckRequest(service: "ok"), returning: HealthCheckResponse.self)
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
            connection.send(frame(.request(callID: 9, method: EchoService.echo, payload: HealthCheckRequest(service: "x").protobuf())))
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
