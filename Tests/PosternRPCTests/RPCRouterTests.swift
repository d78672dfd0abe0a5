import PosternProtocol
import PosternRPC
import Synchronization
import Testing

/// The router's two outcomes of its one handler shape: refusals and `.now` answers are given at
/// once, on the caller's thread; `.later` work comes back pending, for the caller to run.
@Suite struct RPCRouterTests {
    static let syncEcho = "/postern.test.v1.Router/SyncEcho"
    static let asyncEcho = "/postern.test.v1.Router/AsyncEcho"
    static let syncRefuse = "/postern.test.v1.Router/SyncRefuse"
    static let syncCrash = "/postern.test.v1.Router/SyncCrash"
    static let adminOnly = "/postern.test.v1.Router/AdminOnly"
    static let peerOrAdmin = "/postern.test.v1.Router/PeerOrAdmin"
    /// Answers at once for service "now", refuses "refuse" at once, and leaves the rest to a task.
    static let staged = "/postern.test.v1.Router/Staged"

    private struct Unexpected: Error {}

    /// The methods whose unexpected errors reached the router's hook.
    private final class UnexpectedErrors: Sendable {
        let methods = Mutex<[String]>([])
    }

    private static let peer = PeerCredentials(uid: 1000, gid: 1000, pid: 1)
    private static let policy = AccessPolicy(grants: [.read: .init(uids: [1000])])

    private static func router(unexpected: UnexpectedErrors? = nil) -> RPCRouter {
        var router = RPCRouter()
        router.register(MethodDescriptor(path: syncEcho, access: .read)) { (request: Postern.Health.V1.HealthCheckRequest, context) in
            .now(Postern.Health.V1.HealthCheckResponse(status: .serving, daemon: request.service + "#\(context.callID)"))
        }
        router.register(MethodDescriptor(path: asyncEcho, access: .read)) { (request: Postern.Health.V1.HealthCheckRequest, _) in .later {
            await Task.yield()
            return Postern.Health.V1.HealthCheckResponse(status: .serving, daemon: request.service)
        } }
        router.register(MethodDescriptor(path: syncRefuse, access: .read)) { (_: Postern.Health.V1.HealthCheckRequest, _) -> StagedAnswer<Postern.Health.V1.HealthCheckResponse> in
            throw RPCError(code: .failedPrecondition, message: "not now")
        }
        router.register(MethodDescriptor(path: syncCrash, access: .read)) { (_: Postern.Health.V1.HealthCheckRequest, _) -> StagedAnswer<Postern.Health.V1.HealthCheckResponse> in
            throw Unexpected()
        }
        router.register(MethodDescriptor(path: adminOnly, access: .admin)) { (_: Postern.Health.V1.HealthCheckRequest, _) in
            .now(Postern.Health.V1.HealthCheckResponse(status: .serving))
        }
        router.register(MethodDescriptor(path: peerOrAdmin, access: [.peer, .admin])) { (_: Postern.Health.V1.HealthCheckRequest, _) in
            .now(Postern.Health.V1.HealthCheckResponse(status: .serving))
        }
        router.register(MethodDescriptor(path: staged, access: .read), { (request: Postern.Health.V1.HealthCheckRequest, _) -> StagedAnswer<Postern.Health.V1.HealthCheckResponse> in
            switch request.service {
            case "now": return .now(Postern.Health.V1.HealthCheckResponse(status: .serving, daemon: "now"))
            case "refuse": throw RPCError(code: .failedPrecondition, message: "refused first")
            default:
                return .later {
                    await Task.yield()
                    return Postern.Health.V1.HealthCheckResponse(status: .serving, daemon: "later " + request.service)
                }
            }
        })
        if let unexpected {
            router.onUnexpectedError = { _, context in unexpected.methods.withLock { $0.append(context.method) } }
        }
        return router
    }

    private static func call(_ method: String, _ service: String = "", id: UInt64 = 7) -> Envelope {
        .request(callID: id, method: method, payload: Postern.Health.V1.HealthCheckRequest(service: service).protobuf())
    }

    private struct NotAnsweredImmediately: Error {}

    /// The answer `router` gives `request` at once; throws when it leaves it to `handle`.
    private static func immediately(
        _ router: RPCRouter, _ request: Envelope, from peer: PeerCredentials = peer, policy: AccessPolicy = policy
    ) throws -> Envelope {
        guard case .answered(let answer) = router.dispatch(request, from: peer, policy: policy) else {
            throw NotAnsweredImmediately()
        }
        return answer
    }

    @Test func aSynchronousMethodIsAnsweredImmediately() throws {
        let answer = try Self.immediately(Self.router(), Self.call(Self.syncEcho, "hi", id: 9))
        #expect(answer.callID == 9)
        #expect(answer.status == .ok)
        #expect(try Postern.Health.V1.HealthCheckResponse(protobuf: answer.payload).daemon == "hi#9")
    }

    @Test func anAsynchronousMethodIsLeftPending() async throws {
        let router = Self.router()
        guard case .pending(let run) = router.dispatch(Self.call(Self.asyncEcho, "later"), from: Self.peer, policy: Self.policy) else {
            Issue.record("an asynchronous method was answered without running")
            return
        }
        let pending = await run()
        #expect(try Postern.Health.V1.HealthCheckResponse(protobuf: pending.payload).daemon == "later")
        let answer = await router.handle(Self.call(Self.asyncEcho, "again"), from: Self.peer, policy: Self.policy)
        #expect(try Postern.Health.V1.HealthCheckResponse(protobuf: answer.payload).daemon == "again")
    }

    @Test func aStagedMethodAnswersAtOnceWhenItsFirstPartCanAndIsLeftPendingOtherwise() async throws {
        let router = Self.router()
        let now = try Self.immediately(router, Self.call(Self.staged, "now", id: 4))
        #expect(now.callID == 4 && now.status == .ok)
        #expect(try Postern.Health.V1.HealthCheckResponse(protobuf: now.payload).daemon == "now")
        let refused = try Self.immediately(router, Self.call(Self.staged, "refuse"))
        #expect(refused.status == .failedPrecondition && refused.statusMessage == "refused first")
        guard case .pending(let run) = router.dispatch(Self.call(Self.staged, "x", id: 5), from: Self.peer, policy: Self.policy) else {
            Issue.record("a staged method's rest was not left pending")
            return
        }
        let later = await run()
        #expect(later.callID == 5)
        #expect(try Postern.Health.V1.HealthCheckResponse(protobuf: later.payload).daemon == "later x")
    }

    @Test func handleAlsoRunsSynchronousMethods() async throws {
        let answer = await Self.router().handle(Self.call(Self.syncEcho, "both", id: 3), from: Self.peer, policy: Self.policy)
        #expect(try Postern.Health.V1.HealthCheckResponse(protobuf: answer.payload).daemon == "both#3")
    }

    @Test func refusalsAreAnsweredImmediatelyWhateverTheMethodKind() throws {
        let router = Self.router()
        let cases: [(Envelope, StatusCode)] = [
            (Self.call("/postern.test.v1.Router/Missing"), .unimplemented),
            (Self.call("not a method"), .invalidArgument),
            (Self.call(""), .invalidArgument),
            (Self.call(Self.adminOnly), .permissionDenied),
            (.request(callID: 7, method: Self.asyncEcho, payload: [0xff]), .permissionDenied),
        ]
        let stranger = PeerCredentials(uid: 2000, gid: 2000, pid: 1)
        for (index, (request, status)) in cases.enumerated() {
            // The last case: a caller with no grant is refused before the payload is looked at.
            let peer = index == cases.count - 1 ? stranger : Self.peer
            let answer = try Self.immediately(router, request, from: peer)
            #expect(answer.status == status, "\(request.method)")
            #expect(answer.callID == 7)
        }
    }

    @Test func aMethodOfTwoClassesAdmitsEitherGrantAndNoOther() throws {
        let router = Self.router()
        #expect(router.access(of: Self.peerOrAdmin)?.classes == [.peer, .admin])
        let policy = AccessPolicy(
            grants: [.peer: .init(uids: [3001]), .admin: .init(gids: [3002]), .verify: .init(uids: [3003])],
            rootMayCallEverything: false)
        let callers: [(PeerCredentials, StatusCode)] = [
            (PeerCredentials(uid: 3001, gid: 9, pid: 1), .ok),
            (PeerCredentials(uid: 9, gid: 3002, pid: 1), .ok),
            (PeerCredentials(uid: 3003, gid: 9, pid: 1), .permissionDenied),
            (PeerCredentials(uid: 0, gid: 0, pid: 1), .permissionDenied),
        ]
        for (caller, status) in callers {
            let answer = try Self.immediately(router, Self.call(Self.peerOrAdmin), from: caller, policy: policy)
            #expect(answer.status == status, "uid \(caller.uid) gid \(caller.gid)")
            if status == .permissionDenied { #expect(answer.statusMessage.hasSuffix("its class is peer or admin")) }
        }
    }

    @Test func synchronousErrorsBecomeStatuses() throws {
        let unexpected = UnexpectedErrors()
        let router = Self.router(unexpected: unexpected)
        let refused = try Self.immediately(router, Self.call(Self.syncRefuse))
        #expect(refused.status == StatusCode.failedPrecondition)
        #expect(refused.statusMessage == "not now")
        let crashed = try Self.immediately(router, Self.call(Self.syncCrash))
        #expect(crashed.status == .internal)
        #expect(crashed.statusMessage == "internal error")
        #expect(unexpected.methods.withLock { $0 } == [Self.syncCrash])
        let undecodable = Envelope.request(callID: 7, method: Self.syncEcho, payload: [0xff])
        let invalid = try Self.immediately(router, undecodable)
        #expect(invalid.status == .invalidArgument)
    }
}
