import Logging
import PosternDaemon
import PosternProtocol
import PosternRPC
import PosternWire

/// Keeps postern-history's retention equal to what the uniqueness policies need: the largest N
/// among password_uniqueness policies with an enabled binding (to any target), 0 — history
/// off, purged — when there is none (spec §14.3–14.5, docs/password-uniqueness.md). Set at start,
/// after every change of the configuration, and again every `history.retry_interval` (after
/// a failure, or to undo a retention changed by hand), until postern-history acknowledges it.
actor HistoryRetention {
    let client: PeerClient
    let logger: Logger
    /// The retention the current configuration needs.
    let wanted: @Sendable () -> UInt32
    /// What postern-history last acknowledged, as far as this daemon knows.
    private var acknowledged: UInt32?
    private var syncing = false

    init(client: PeerClient, logger: Logger, wanted: @escaping @Sendable () -> UInt32) {
        self.client = client
        self.logger = logger
        self.wanted = wanted
    }

    /// Sets the retention until it is what the configuration needs; returns at once when
    /// another call is already doing it (that one reads the newest need after each answer).
    func sync() async {
        guard !syncing else { return }
        syncing = true
        defer { syncing = false }
        while true {
            let count = wanted()
            guard count != acknowledged else { return }
            let answer: Postern.History.V1.SetRetentionResponse
            do {
                answer = try await client.call(Postern.History.V1.History.setRetention, .init(count: count))
            } catch {
                acknowledged = nil
                logger.warning(
                    "history_retention_deferred",
                    metadata: ["count": "\(count)", "status": "\(error.code.name)", "error": "\(error.message)"])
                return
            }
            acknowledged = count
            if answer.previous != count || answer.removed > 0 {
                logger.notice(
                    "history_retention_set",
                    metadata: ["count": "\(count)", "previous": "\(answer.previous)", "removed": "\(answer.removed)"])
            }
        }
    }

    /// Forgets what was acknowledged, so the next sync sets it again.
    func reassert() { acknowledged = nil }

    /// The loop of the daemon's background work: sync, then again every `interval`.
    nonisolated func start(in background: BackgroundWork, interval: Duration) {
        background.add("history retention") { shutdown in
            while !shutdown.isRequested {
                await self.reassert()
                await self.sync()
                await shutdown.sleep(for: interval)
            }
        }
    }
}

extension PolicyConfiguration {
    /// The largest N among password_uniqueness policies that have an enabled binding; 0 when
    /// none has.
    var historyRetention: UInt32 {
        var largest: UInt32 = 0
        for binding in bindings.values where binding.enabled?.on ?? true {
            guard let policy = policies[binding.policy]?.compiled as? UniquenessPolicy else { continue }
            largest = max(largest, policy.count)
        }
        return largest
    }
}
