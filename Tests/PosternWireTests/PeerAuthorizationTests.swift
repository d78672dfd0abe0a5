import Foundation
import PosternProtocol
import PosternRPC
import PosternWire
import Testing

/// Whoami (class read) answers the caller's SO_PEERCRED uid:gid; Reset (class admin).
private struct WhoamiService: RPCService {
    static let serviceName = "postern.test.v1.Whoami"
    static let whoami = "/postern.test.v1.Whoami/Whoami"
    static let reset = "/postern.test.v1.Whoami/Reset"

    func registerMethods(with router: inout RPCRouter) {
        router.register(MethodDescriptor(path: Self.whoami, access: .read)) { (_: Postern.Health.V1.HealthCheckRequest, context) in
            .now(Postern.Health.V1.HealthCheckResponse(status: .serving, daemon: "\(context.peer.uid):\(context.peer.gid)"))
        }
        router.register(MethodDescriptor(path: Self.reset, access: .admin)) { (_: Postern.Health.V1.HealthCheckRequest, _) in
            .now(Postern.Health.V1.HealthCheckResponse(status: .serving, daemon: "reset"))
        }
    }
}

/// A client in another process, as another uid and gid (setpriv): one call with an empty
/// payload, the answer Envelope's bytes back.
private func call(_ method: String, at path: String, uid: UInt32, gid: UInt32) async throws -> Envelope {
    let script = """
        import socket, struct, sys
        path, method = sys.argv[1], sys.argv[2].encode()
        body = b"\\x08\\x01\\x12" + bytes([len(method)]) + method
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(10)
        s.connect(path)
        s.sendall(struct.pack(">I", len(body)) + body)
        def read(n):
            data = b""
            while len(data) < n:
                chunk = s.recv(n - len(data))
                if not chunk: sys.exit("connection closed")
                data += chunk
            return data
        (n,) = struct.unpack(">I", read(4))
        sys.stdout.write(read(n).hex())
        """
    // Output to a file, not a pipe: a pipe's write end leaks into processes other tests spawn
    // meanwhile, and reading it to EOF would wait for them on a cooperative thread.
    let outputPath = NSTemporaryDirectory() + "postern-call-\(UUID().uuidString.prefix(8)).out"
    _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
    defer { try? FileManager.default.removeItem(atPath: outputPath) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
    process.arguments = ["--reuid=\(uid)", "--regid=\(gid)", "--clear-groups", "/usr/bin/python3", "-c", script, path, method]
    process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
    let finished = AsyncStream<Void>.makeStream()
    process.terminationHandler = { _ in finished.continuation.finish() }
    try process.run()
    for await _ in finished.stream {}
    let data = try Data(contentsOf: URL(fileURLWithPath: outputPath))
    guard process.terminationStatus == 0 else {
        throw DecodingFailure(description: "client as uid \(uid) exited \(process.terminationStatus)")
    }
    let hex = String(decoding: data, as: UTF8.self)
    var bytes: [UInt8] = []
    var index = hex.startIndex
    while index < hex.endIndex {
        let next = hex.index(index, offsetBy: 2)
        bytes.append(UInt8(hex[index..<next], radix: 16)!)
        index = next
    }
    return try Envelope(protobuf: bytes)
}

private struct DecodingFailure: Error, CustomStringConvertible { let description: String }

@Suite(.serialized) struct PeerAuthorizationTests {
    static let testUID: UInt32 = 4242
    static let testGID: UInt32 = 4243

    private func router() -> RPCRouter {
        var router = RPCRouter()
        router.register(WhoamiService())
        router.register(HealthService(daemon: "postern-test", version: "0", services: []))
        return router
    }

    @Test(.enabled(if: getuid() == 0, "needs root to call as another uid"))
    func aSecondUIDMayCallWhatItsGroupIsGrantedAndNothingElse() async throws {
        try await withServer(router(), configure: {
            $0.access = AccessPolicy(grants: [.read: .init(gids: [Self.testGID])])
            $0.socketGroup = Self.testGID
            $0.socketMode = 0o660
        }) { path in
            var status = stat()
            #expect(stat(path, &status) == 0)
            #expect(status.st_mode & 0o777 == 0o660)
            #expect(status.st_gid == Self.testGID)

            let granted = try await call(WhoamiService.whoami, at: path, uid: Self.testUID, gid: Self.testGID)
            #expect(granted.status == .ok, "\(granted.statusMessage)")
            #expect(try Postern.Health.V1.HealthCheckResponse(protobuf: granted.payload).daemon == "\(Self.testUID):\(Self.testGID)")

            let denied = try await call(WhoamiService.reset, at: path, uid: Self.testUID, gid: Self.testGID)
            #expect(denied.status == .permissionDenied)
            #expect(denied.statusMessage.contains("admin"))

            let health = try await call(Postern.Health.V1.Health.check.path, at: path, uid: Self.testUID, gid: Self.testGID)
            #expect(health.status == .ok)

            // Root (this test process) may call everything by default.
            let client = try await RPCClient.connect(to: path)
            let reset = try await client.call(.test(WhoamiService.reset), Postern.Health.V1.HealthCheckRequest())
            #expect(reset.daemon == "reset")
            await client.close()
        }
    }

    @Test(.enabled(if: getuid() == 0, "needs root to call as another uid"))
    func aUIDGrantWorksWithoutTheGroupAndRootCanBeShutOut() async throws {
        try await withServer(router(), configure: {
            $0.access = AccessPolicy(grants: [.admin: .init(uids: [Self.testUID])], rootMayCallEverything: false)
            $0.socketMode = 0o666
        }) { path in
            let asTestUser = try await call(WhoamiService.reset, at: path, uid: Self.testUID, gid: 1)
            #expect(asTestUser.status == .ok)
            let otherUID = try await call(WhoamiService.reset, at: path, uid: Self.testUID + 1, gid: 1)
            #expect(otherUID.status == .permissionDenied)

            let client = try await RPCClient.connect(to: path)
            let asRoot = await #expect(throws: RPCError.self) {
                _ = try await client.call(.test(WhoamiService.whoami), Postern.Health.V1.HealthCheckRequest())
            }
            #expect(asRoot?.code == .permissionDenied)
            await client.close()
        }
    }

    @Test func policyDecisions() {
        let policy = AccessPolicy(grants: [.verify: .init(uids: [10], gids: [20])])
        let root = PeerCredentials(uid: 0, gid: 0, pid: 1)
        #expect(policy.permits(.init(uid: 10, gid: 99, pid: 1), toCall: .verify))
        #expect(policy.permits(.init(uid: 99, gid: 20, pid: 1), toCall: .verify))
        #expect(!policy.permits(.init(uid: 10, gid: 20, pid: 1), toCall: .admin))
        #expect(policy.permits(.init(uid: 99, gid: 99, pid: 1), toCall: .open))
        #expect(policy.permits(root, toCall: .admin))
        #expect(!AccessPolicy(rootMayCallEverything: false).permits(root, toCall: .admin))
        #expect(policy.permits(.init(uid: 99, gid: 99, pid: 1, groups: [5, 20]), toCall: .verify), "a supplementary group")
        #expect(!policy.permits(.init(uid: 99, gid: 99, pid: 1, groups: [5, 21]), toCall: .verify))
    }
}
