import PosternRPC
import Synchronization

/// Counts the calls a server is running, across all its connections, so a graceful stop can
/// wait for them.
final class InFlightCalls: Sendable {
    private let count = Atomic<Int>(0)

    var current: Int { count.load(ordering: .acquiring) }

    func started() { count.add(1, ordering: .acquiringAndReleasing) }

    func finished() { count.subtract(1, ordering: .acquiringAndReleasing) }

    /// Returns when no call is running or `gracePeriod` has passed; true when drained.
    func drain(within gracePeriod: Duration) async -> Bool {
        let deadline = ContinuousClock.now + gracePeriod
        while current > 0 {
            guard ContinuousClock.now < deadline else { return false }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return true
    }
}
