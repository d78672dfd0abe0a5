import Logging
import ServiceLifecycle
import Synchronization

/// Work a daemon does besides answering calls (postern-password's history confirmation retry),
/// run as part of the daemon's service group: it starts with the server and, on SIGTERM or
/// SIGINT, is asked to stop once the server has finished its calls in flight — so a loop
/// finishes the step it is in (a confirmation half done would be redone, and misreported, at
/// the next start) instead of being cut off when the process exits.
public final class BackgroundWork: Sendable {
    /// A loop's body: it should check `shutdown.isRequested` between steps and wait with
    /// `shutdown.sleep(for:)`, and return once shutdown is requested.
    public typealias Body = @Sendable (_ shutdown: ShutdownRequest) async -> Void

    private let bodies = Mutex<[(name: String, body: Body)]>([])

    public init() {}

    /// Adds `body`, started when the daemon starts serving; `name` appears in logs.
    public func add(_ name: String, _ body: @escaping Body) {
        bodies.withLock { $0.append((name, body)) }
    }

    /// The added bodies as services of a `ServiceGroup`.
    func services(logger: Logger) -> [ServiceGroupConfiguration.ServiceConfiguration] {
        bodies.withLock { $0 }.map { name, body in
            .init(service: Loop(name: name, body: body, logger: logger), successTerminationBehavior: .ignore)
        }
    }

    private struct Loop: Service, CustomStringConvertible {
        let name: String
        let body: Body
        let logger: Logger
        var description: String { name }

        func run() async {
            await body(ShutdownRequest())
            logger.debug("background work stopped", metadata: ["work": "\(name)"])
        }
    }
}

/// Whether the daemon is stopping, seen from background work.
public struct ShutdownRequest: Sendable {
    public var isRequested: Bool { Task.isShuttingDownGracefully || Task.isCancelled }

    /// Waits `duration`, or less if shutdown is requested meanwhile.
    public func sleep(for duration: Duration) async {
        try? await cancelWhenGracefulShutdown { try await Task.sleep(for: duration) }
    }
}
