import Foundation
import PosternProtocol
import PosternRPC
import PosternWire
import Synchronization
import Testing

/// What the limits test service's handlers saw.
private final class HandlerLog: Sendable {
    private let entries = Mutex<[String]>([])
    func record(_ entry: String) { entries.withLock { $0.append(entry) } }
    var all: [String] { entries.withLock { $0 } }

    /// Waits up to `timeout` for `entry` to be recorded.
    func waitFor(_ entry: String, timeout: Duration = .seconds(5)) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if all.contains(entry) { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return false
    }
}

private struct SecretLeakingError: Error, CustomStringConvertible {
    var description: String { "hunter2 was the password" }
}

/// Sleep (records "cancelled:<ms>" when cancelled), Fail (throws a non-RPCError),
/// Big (answers with a string of the asked length).
private struct LimitsService: RPCService {
    static let serviceName = "postern.test.v1.Limits"
    static let sleep = "/postern.test.v1.Limits/Sleep"
    static let fail = "/postern.test.v1.Limits/Fail"
    static let big = "/postern.test.v1.Limits/Big"
    let log: HandlerLog

    func registerMethods(with router: inout RPCRouter) {
        router.register(MethodDescriptor(path: Self.sleep, access: .read)) { [log] (request: Postern.Health.V1.HealthCheckRequest, _) in .later {
            do {
                try await Task.sleep(for: .milliseconds(Int(request.service) ?? 0))
            } catch {
                log.record("cancelled:\(request.service)")
                throw error
            }
            return Postern.Health.V1.HealthCheckResponse(status: .serving, daemon: request.service)
        } }
        router.register(MethodDescriptor(path: Self.fail, access: .read)) { (_: Postern.Health.V1.HealthCheckRequest, _) -> StagedAnswer<Postern.Health.V1.HealthCheckResponse> in
            .later { throw SecretLeakingError() }
        }
        router.register(MethodDescriptor(path: Self.big, access: .read)) { (request: Postern.Health.V1.HealthCheckRequest, _) in .later {
            Postern.Health.V1.HealthCheckResponse(status: .serving, daemon: String(repeating: "x", count: Int(request.service) ?? 0))
        } }
    }
}

private func limitsRouter(_ log: HandlerLog, unexpected: HandlerLog? = nil) -> RPCRouter {
    var router = RPCRouter()
    router.register(LimitsService(log: log))
    if let unexpected {
        router.onUnexpectedError = { error, context in unexpected.record("\(context.method): \(error)") }
    }
    return router
}

private func request(_ callID: UInt64, _ method: String, _ argument: String, timeoutMilliseconds: UInt32 = 0) -> [UInt8] {
    frame(.request(
        callID: callID, method: method, timeoutMilliseconds: timeoutMilliseconds,
        payload: Postern.Health.V1.HealthCheckRequest(service: argument).protobuf()))
}

@Suite struct RPCServerLimitTests {
    @Test func malformedOrMissingMethodIsInvalidArgumentUnknownIsUnimplemented() async throws {
        try await withServer(limitsRouter(HandlerLog())) { path in
            let connection = try RawConnection(path: path)
            for (callID, method, expected) in [
                (UInt64(1), "", StatusCode.invalidArgument), (2, "nope", .invalidArgument),
                (3, "/a/b/c", .invalidArgument), (4, "/a b/C", .invalidArgument),
                (5, "/postern.test.v1.Limits/Nope", .unimplemented),
            ] {
                connection.send(request(callID, method, ""))
                let answer = try #require(try await connection.readEnvelope())
                #expect(answer.callID == callID)
                #expect(answer.status == expected, "method \"\(method)\": \(answer.statusMessage)")
            }
        }
    }

    @Test func clientDeadlineExpiresOnTheServerAndCancelsTheHandler() async throws {
        let log = HandlerLog()
        try await withServer(limitsRouter(log)) { path in
            let connection = try RawConnection(path: path)
            let started = ContinuousClock.now
            connection.send(request(1, LimitsService.sleep, "5000", timeoutMilliseconds: 150))
            let answer = try #require(try await connection.readEnvelope())
            #expect(answer.status == .deadlineExceeded)
            #expect(answer.statusMessage.contains("150 ms"))
            #expect(ContinuousClock.now - started < .seconds(4))
            #expect(await log.waitFor("cancelled:5000"))
        }
    }

    @Test func serverMaximumCapsACallWithoutItsOwnDeadline() async throws {
        let log = HandlerLog()
        try await withServer(limitsRouter(log), configure: { $0.maximumCallDuration = .milliseconds(200) }) { path in
            let connection = try RawConnection(path: path)
            connection.send(request(1, LimitsService.sleep, "6000"))
            let answer = try #require(try await connection.readEnvelope())
            #expect(answer.status == .deadlineExceeded)
            #expect(answer.statusMessage.contains("200 ms"))
            #expect(await log.waitFor("cancelled:6000"))
        }
    }

    @Test func callsPastTheInFlightCapAreRefusedAtOnce() async throws {
        try await withServer(limitsRouter(HandlerLog()), configure: { $0.maximumCallsInFlightPerConnection = 2 }) { path in
            let connection = try RawConnection(path: path)
            connection.send(request(1, LimitsService.sleep, "300"))
            connection.send(request(2, LimitsService.sleep, "300"))
            connection.send(request(3, LimitsService.sleep, "0"))
            let first = try #require(try await connection.readEnvelope())
            #expect(first.callID == 3)
            #expect(first.status == .resourceExhausted)
            #expect(first.statusMessage.contains("limit 2"))
            let later = [try await connection.readEnvelope(), try await connection.readEnvelope()]
            #expect(Set(later.compactMap { $0?.callID }) == [1, 2])
            #expect(later.allSatisfy { $0?.status == .ok })
        }
    }

    @Test func connectionsPastTheCapAreRefusedAndTheSlotIsFreedOnClose() async throws {
        try await withServer(limitsRouter(HandlerLog()), configure: { $0.maximumConnections = 1 }) { path in
            var first: RawConnection? = try RawConnection(path: path)
            first?.send(request(1, LimitsService.sleep, "0"))
            #expect(try await first?.readEnvelope()?.status == .ok)

            let second = try RawConnection(path: path)
            let refused = try #require(try await second.readEnvelope())
            #expect(refused.callID == 0)
            #expect(refused.status == .resourceExhausted)
            #expect(refused.statusMessage.contains("limit 1"))
            #expect(try await second.isClosedByPeer())

            first = nil  // closes it
            var served = false
            for _ in 0..<100 where !served {
                let next = try RawConnection(path: path)
                next.send(request(1, LimitsService.sleep, "0"))
                served = try await next.readEnvelope()?.status == .ok
                if !served { try await Task.sleep(for: .milliseconds(20)) }
            }
            #expect(served)
        }
    }

    @Test func handlerErrorsAreInternalWithAGenericMessage() async throws {
        let unexpected = HandlerLog()
        try await withServer(limitsRouter(HandlerLog(), unexpected: unexpected)) { path in
            let connection = try RawConnection(path: path)
            connection.send(request(1, LimitsService.fail, ""))
            let answer = try #require(try await connection.readEnvelope())
            #expect(answer.status == .internal)
            #expect(answer.statusMessage == "internal error")
            #expect(unexpected.all == ["\(LimitsService.fail): hunter2 was the password"])
        }
    }

    @Test func disconnectingCancelsCallsInFlight() async throws {
        let log = HandlerLog()
        try await withServer(limitsRouter(log)) { path in
            let connection = try RawConnection(path: path)
            connection.send(request(1, LimitsService.sleep, "7000"))
            try await Task.sleep(for: .milliseconds(100))
            _ = connection  // closed when this scope ends
        }
        #expect(await log.waitFor("cancelled:7000"))
    }

    @Test func anAnswerOverTheFrameLimitBecomesResourceExhausted() async throws {
        try await withServer(limitsRouter(HandlerLog()), maximumFrameLength: 4096) { path in
            let connection = try RawConnection(path: path)
            connection.send(request(1, LimitsService.big, "5000"))
            let answer = try #require(try await connection.readEnvelope())
            #expect(answer.callID == 1)
            #expect(answer.status == .resourceExhausted)
            #expect(answer.statusMessage.contains("4096"))
            connection.send(request(2, LimitsService.big, "100"))
            #expect(try await connection.readEnvelope()?.status == .ok)
        }
    }
}
