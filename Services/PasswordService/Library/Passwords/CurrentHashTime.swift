import Synchronization

/// How long a check at the current hashing policy takes on this machine: the median of the
/// last checks that did the policy's own work (a current hash, or the dummy hash of an unknown
/// user). A check of an imported hash that costs less is padded up to it, so that its time
/// does not tell a known user with an old hash from an unknown one (docs/hashing.md).
final class CurrentHashTime: Sendable {
    private static let kept = 31
    private let samples = Mutex<(values: [Duration], next: Int)>(([], 0))

    func record(_ duration: Duration) {
        samples.withLock { samples in
            if samples.values.count < Self.kept {
                samples.values.append(duration)
            } else {
                samples.values[samples.next] = duration
            }
            samples.next = (samples.next + 1) % Self.kept
        }
    }

    /// The median of the kept samples; nil before the first.
    var typical: Duration? {
        let values = samples.withLock { $0.values }
        guard !values.isEmpty else { return nil }
        return values.sorted()[values.count / 2]
    }
}
