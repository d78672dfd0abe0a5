import Synchronization

/// How long a check at the current hashing policy takes on this machine: the median of the
/// last checks that did the policy's own work (a current hash, or the dummy hash of an unknown
/// user). A failed check of an imported hash that costs less is topped up to it with a partial
/// dummy hash, so that its time does not tell a known user with an old hash from an unknown
/// one (docs/authenticate.md). A partial hash is not exactly that share of a whole one (fixed
/// costs, caches), so how long partial hashes took against what was asked of them is kept as
/// well, and the next one is scaled by it.
final class CurrentHashTime: Sendable {
    private static let kept = 31
    private let checks = Mutex(RecentSamples(kept: kept))
    /// Actual over asked-for duration of the last partial dummy hashes.
    private let partialScale = Mutex(RecentSamples(kept: kept))

    func record(_ duration: Duration) {
        checks.withLock { $0.add(duration / .nanoseconds(1)) }
    }

    /// The median of the kept checks; nil before the first.
    var typical: Duration? {
        checks.withLock { $0.median }.map { .nanoseconds(Int64($0)) }
    }

    /// The share of a whole policy hash to ask of a partial dummy so that it takes `wanted`.
    func fraction(toTake wanted: Duration, of typical: Duration) -> Double {
        let share = wanted / typical
        let scale = partialScale.withLock { $0.median } ?? 1
        return min(1, max(0, share / max(scale, 0.5)))
    }

    /// A partial dummy asked for `fraction` of `typical` took `took`.
    func recordPartial(fraction: Double, of typical: Duration, took: Duration) {
        guard fraction > 0.05 else { return }
        let asked = typical / .nanoseconds(1) * fraction
        guard asked > 0 else { return }
        let ratio = (took / .nanoseconds(1)) / asked
        partialScale.withLock { $0.add(min(2, max(0.5, ratio))) }
    }
}

/// The last `kept` values and their median.
struct RecentSamples {
    let kept: Int
    private var values: [Double] = []
    private var next = 0

    init(kept: Int) { self.kept = kept }

    mutating func add(_ value: Double) {
        if values.count < kept {
            values.append(value)
        } else {
            values[next] = value
        }
        next = (next + 1) % kept
    }

    var median: Double? { values.isEmpty ? nil : values.sorted()[values.count / 2] }
}
