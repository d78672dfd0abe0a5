import PosternKerberos
import Synchronization

/// What one Kerberos source's checks came to since the daemon started: logged per failure and
/// counted here, shown by `postern source kerberos show` (KerberosSources/Get's `counters`).
final class KerberosSourceCounters: Sendable {
    struct Counts: Sendable, Equatable {
        var accepted: UInt64 = 0
        var refused: UInt64 = 0
        var expired: UInt64 = 0
        var unreachable: UInt64 = 0
        var timeout: UInt64 = 0
        var unverified: UInt64 = 0
        var clockSkew: UInt64 = 0
        var other: UInt64 = 0
        var queueFull: UInt64 = 0
    }

    private let counts = Mutex(Counts())

    var current: Counts { counts.withLock { $0 } }

    func accepted() { counts.withLock { $0.accepted += 1 } }
    func queueFull() { counts.withLock { $0.queueFull += 1 } }

    func count(_ error: KerberosError) {
        counts.withLock { counts in
            switch error.kind {
            case .wrongPassword, .unknownPrincipal, .revoked: counts.refused += 1
            case .passwordExpired: counts.expired += 1
            case .unreachable: counts.unreachable += 1
            case .timeout: counts.timeout += 1
            case .verificationFailed, .keytab: counts.unverified += 1
            case .clockSkew: counts.clockSkew += 1
            case .refused, .badRequest, .other: counts.other += 1
            }
        }
    }
}
