import Foundation
import Logging
@testable import PasswordService
import PosternDaemon
import PosternHashing
import PosternProtocol
import PosternRPC
import PosternWire
import Testing

/// postern-password's services as the daemon wires them, over a store in a temporary
/// directory, called through the router with no socket: each test is a few milliseconds of
/// setup, and the Python interop suite stays the end-to-end proof.
struct InProcessPasswordDaemon {
    let router: RPCRouter
    let store: PasswordStore
    static let root = PeerCredentials(uid: 0, gid: 0, pid: 1)

    init(directory: String, appPasswordKey: AppPasswordKey? = AppPasswordKey(secret: Array(repeating: 7, count: 32))) throws {
        store = try PasswordStore(directory: directory)
        var router = RPCRouter()
        let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        for service in PasswordDaemon.services(
            store: store, hashing: PasswordHashing(policy: try HashingPolicy(HashingSettings())),
            pool: HashingPool(threads: 2, queueLimit: 8), appPasswordKey: appPasswordKey, keyPath: "\(directory)/key",
            history: nil, ldapSources: LDAPSources(environment: [:], logger: logger),
            kerberosSources: KerberosSources(environment: [:], logger: logger), environment: [:],
            pauses: DiagnosticPauses(), failedAttemptsExpiry: .seconds(3600), logger: logger)
        {
            router.register(service)
        }
        self.router = router
    }

    /// Calls `method` as root; a status other than OK comes back as the `RPCError`.
    func call<Request, Response>(_ method: MethodDescriptor<Request, Response>, _ request: Request) async throws -> Response {
        let answer = await router.handle(
            .request(callID: 1, method: method.path, payload: request.protobuf()), from: Self.root, policy: .rootOnly)
        guard answer.status == .ok else { throw RPCError(code: answer.status, message: answer.statusMessage) }
        return try Response(protobuf: answer.payload)
    }

    /// The status `method` answers `request` with.
    func status<Request, Response>(_ method: MethodDescriptor<Request, Response>, _ request: Request) async -> StatusCode {
        do {
            _ = try await call(method, request)
            return .ok
        } catch let error as RPCError {
            return error.code
        } catch {
            return .unknown
        }
    }
}

/// A fresh directory under /tmp, removed when `body` returns or throws.
func withPasswordDaemon<R>(
    appPasswordKey: AppPasswordKey? = AppPasswordKey(secret: Array(repeating: 7, count: 32)),
    _ body: (InProcessPasswordDaemon) async throws -> R
) async throws -> R {
    try await withTemporaryDirectory { dir in try await body(InProcessPasswordDaemon(directory: dir, appPasswordKey: appPasswordKey)) }
}

typealias V1 = Postern.Password.V1
