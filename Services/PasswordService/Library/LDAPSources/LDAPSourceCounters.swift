import PosternLDAP
import Synchronization

/// What one source's binds came to since the daemon started: logged per failure and counted
/// here, shown by `postern source ldap show` (LDAPSources/Get's `counters`).
final class LDAPSourceCounters: Sendable {
    struct Counts: Sendable, Equatable {
        var accepted: UInt64 = 0
        var refused: UInt64 = 0
        var unreachable: UInt64 = 0
        var timeout: UInt64 = 0
        var tls: UInt64 = 0
        var other: UInt64 = 0
        var queueFull: UInt64 = 0
    }

    private let counts = Mutex(Counts())

    var current: Counts { counts.withLock { $0 } }

    func accepted() { counts.withLock { $0.accepted += 1 } }
    func refused() { counts.withLock { $0.refused += 1 } }
    func queueFull() { counts.withLock { $0.queueFull += 1 } }

    func failed(_ error: LDAPError) {
        counts.withLock { counts in
            switch error.kind {
            case .invalidCredentials: counts.refused += 1
            case .unreachable: counts.unreachable += 1
            case .timeout: counts.timeout += 1
            case .tls: counts.tls += 1
            case .refused, .badRequest: counts.other += 1
            }
        }
    }
}
