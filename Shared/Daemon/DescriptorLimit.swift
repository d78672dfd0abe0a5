import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The open-file limit a daemon runs under, and the connections it can hold under it.
///
/// systemd's default soft limit is 1024, the same as the default connection limit: a daemon
/// that reached it could no longer open its store, and every login failed. At start the soft
/// limit is raised to the hard one (capped at `softLimitCap`), and the connection limit is
/// lowered, with a warning, when the descriptors left after `reservedDescriptors` cannot hold
/// it (docs/server.md).
enum DescriptorLimit {
    /// Descriptors kept for everything but client connections: the listening socket, the
    /// stores' SQLite connections with their WAL and shared-memory files, the event loops'
    /// epoll and event descriptors, clients of other daemons, standard streams.
    static let reservedDescriptors = 128
    /// A soft limit is raised no higher than this, however high the hard limit.
    static let softLimitCap: rlim_t = 1 << 20
    #if canImport(Glibc)
    private static let openFiles = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
    #else
    private static let openFiles = RLIMIT_NOFILE
    #endif

    struct Outcome: Equatable {
        /// The soft limit before and after.
        var before: rlim_t
        var after: rlim_t
        var hard: rlim_t
        /// The connection limit the server may use.
        var connections: Int
    }

    /// Raises the soft limit and fits `connections` under it.
    static func raise(fitting connections: Int) -> Outcome {
        var limit = rlimit()
        guard getrlimit(openFiles, &limit) == 0 else {
            return Outcome(before: 0, after: 0, hard: 0, connections: connections)
        }
        let before = limit.rlim_cur
        let wanted = min(limit.rlim_max, softLimitCap)
        if wanted > before {
            var raised = limit
            raised.rlim_cur = wanted
            if setrlimit(openFiles, &raised) == 0 { limit = raised }
        }
        let available = Int(clamping: limit.rlim_cur) - reservedDescriptors
        return Outcome(
            before: before, after: limit.rlim_cur, hard: limit.rlim_max, connections: max(1, min(connections, available)))
    }

    /// Raises the limit, logs it, and returns the connection limit to serve with.
    static func apply(connections: Int, logger: Logger) -> Int {
        let outcome = raise(fitting: connections)
        logger.info("descriptor limit", metadata: [
            "soft": "\(outcome.after)", "was": "\(outcome.before)", "hard": "\(outcome.hard)",
            "connections": "\(outcome.connections)",
        ])
        if outcome.connections < connections {
            logger.warning(
                "limits.connections lowered to fit the open-file limit; raise LimitNOFILE= (or ulimit -Hn)",
                metadata: [
                    "configured": "\(connections)", "serving": "\(outcome.connections)", "open_file_limit": "\(outcome.after)",
                    "reserved": "\(reservedDescriptors)",
                ])
        }
        return outcome.connections
    }
}
