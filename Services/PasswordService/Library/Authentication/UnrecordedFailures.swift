import Foundation
import Logging
import Synchronization

/// Failed attempts the store could not record — its disk full, an I/O error — kept in memory so
/// that the counter fails closed: the flow session they belong to gets no success until they
/// are written (docs/authenticate.md). Otherwise seven wrong passwords answered UNAVAILABLE
/// and never counted would leave the eighth guess as good as the first.
///
/// An episode opens with the first failure that cannot be recorded and closes with the next
/// one that can; each is logged once, however many calls fail in between.
final class UnrecordedFailures: Sendable {
    /// Flow sessions remembered at most; past it every success waits for the store.
    static let maximumSessions = 100_000

    private struct Key: Hashable {
        var stage: String
        var flowSession: String
    }

    private struct State {
        var pending: [Key: (count: Int, expires: Date)] = [:]
        /// More flow sessions than `maximumSessions` had failures to keep.
        var overflowed = false
        var episodeOpen = false
        var unrecordedInEpisode = 0
    }

    private let state = Mutex(State())
    /// True while anything is pending: logins check nothing else until then.
    private let anyPending = Atomic<Bool>(false)
    private let logger: Logger

    init(logger: Logger) { self.logger = logger }

    /// Whether a success on (stage, flow session) must first write unrecorded failures. Costs
    /// one atomic load while nothing is pending.
    func mustRecordFirst(stage: String, flowSession: String) -> Bool {
        guard anyPending.load(ordering: .acquiring) else { return false }
        return state.withLock { state in
            state.overflowed || state.pending[Key(stage: stage, flowSession: flowSession)] != nil
        }
    }

    /// The failures of (stage, flow session) not yet recorded, handed to the caller to write
    /// (it gives them back with `keep` if the write fails). Throws while sessions beyond the
    /// limit have failures nobody can tell apart.
    func take(stage: String, flowSession: String, now: Date) throws(UnrecordedFailuresOverflow) -> Int {
        guard anyPending.load(ordering: .acquiring) else { return 0 }
        let taken: Int? = state.withLock { state in
            guard let entry = state.pending.removeValue(forKey: Key(stage: stage, flowSession: flowSession)) else {
                return state.overflowed ? nil : 0
            }
            return entry.expires > now ? entry.count : 0
        }
        guard let taken else { throw UnrecordedFailuresOverflow() }
        return taken
    }

    /// `count` failures of (stage, flow session) the store would not take; opens an episode
    /// (logged once) if none is open.
    func keep(_ count: Int, stage: String, flowSession: String, expires: Date, now: Date, error: String) {
        let opened: Bool = state.withLock { state in
            let key = Key(stage: stage, flowSession: flowSession)
            if state.pending[key] == nil && state.pending.count >= Self.maximumSessions {
                state.pending = state.pending.filter { $0.value.expires > now }
            }
            if state.pending[key] == nil && state.pending.count >= Self.maximumSessions {
                state.overflowed = true
            } else {
                let previous = state.pending[key]?.count ?? 0
                state.pending[key] = (count: previous + count, expires: expires)
            }
            state.unrecordedInEpisode += count
            defer { state.episodeOpen = true }
            return !state.episodeOpen
        }
        anyPending.store(true, ordering: .releasing)
        if opened {
            logger.error(
                "failed attempts cannot be recorded; logins on the flow sessions they belong to fail until they are",
                metadata: ["error": "\(error)"])
        }
    }

    /// A failure was recorded: closes an open episode (logged once) and forgets an overflow.
    func recorded() {
        guard anyPending.load(ordering: .acquiring) else { return }
        let closed: (unrecorded: Int, stillPending: Int, overflowed: Bool)? = state.withLock { state in
            guard state.episodeOpen else { return nil }
            defer {
                state.episodeOpen = false
                state.unrecordedInEpisode = 0
                state.overflowed = false
            }
            return (state.unrecordedInEpisode, state.pending.count, state.overflowed)
        }
        if let closed {
            logger.notice(
                "failed attempts recorded again",
                metadata: [
                    "unrecorded_during_episode": "\(closed.unrecorded)", "sessions_still_pending": "\(closed.stillPending)",
                    "sessions_beyond_limit": "\(closed.overflowed ? "some, their failures lost" : "none")",
                ])
        }
        state.withLock { state in
            if state.pending.isEmpty && !state.overflowed { anyPending.store(false, ordering: .releasing) }
        }
    }
}

/// More flow sessions had unrecorded failures than are remembered: no success until the
/// store takes writes again.
struct UnrecordedFailuresOverflow: Error {}
