import PosternRPC
import NIOCore
import Synchronization

/// A server's open connections, counted so that no one local user can take them all: a limit
/// on all connections, one on each uid's (root excepted), a small one shared by every peer the
/// access policy grants nothing beyond `open`, and a reserve only callers that log users in
/// (`verify`), other Postern daemons (`peer`) and root may use — so neither a user who may only
/// call Health nor one granted `read` can fill the server while the IdP still gets in
/// (docs/server.md).
/// Connections are closed together when the server has finished stopping.
final class ConnectionBudget: Sendable {
    struct Limits: Sendable {
        var total: Int
        var perUser: Int
        var ungranted: Int
        /// Of `total`, kept for `.reserved` callers.
        var reserved: Int
    }

    private struct State {
        var channels: [ObjectIdentifier: any Channel] = [:]
        var byUser: [UInt32: Int] = [:]
        var ungranted = 0
    }

    let limits: Limits
    private let state = Mutex(State())

    init(limits: Limits) { self.limits = limits }

    /// Admits `channel` of `peer` and counts it out once it closes; otherwise, admitting
    /// nothing, the reason a client reads.
    func admit(_ channel: any Channel, peer: PeerCredentials, standing: ConnectionStanding) -> String? {
        let id = ObjectIdentifier(channel)
        let granted = standing != .ungranted
        let refusal: String? = state.withLock { state in
            guard state.channels.count < limits.total else {
                return "too many open connections (limit \(limits.total)); try again later"
            }
            if standing != .reserved && state.channels.count >= limits.total - limits.reserved {
                return "too many open connections; the last \(limits.reserved) of \(limits.total) are kept for callers "
                    + "that log users in (classes verify and peer); try again later"
            }
            if !granted && state.ungranted >= limits.ungranted {
                return "too many open connections from callers granted nothing but Health (limit \(limits.ungranted)); try again later"
            }
            if peer.uid != 0 && state.byUser[peer.uid, default: 0] >= limits.perUser {
                return "too many open connections from uid \(peer.uid) (limit \(limits.perUser) per user); close some and try again"
            }
            state.channels[id] = channel
            state.byUser[peer.uid, default: 0] += 1
            if !granted { state.ungranted += 1 }
            return nil
        }
        guard refusal == nil else { return refusal }
        channel.closeFuture.whenComplete { [self] _ in
            state.withLock { state in
                state.channels.removeValue(forKey: id)
                state.byUser[peer.uid, default: 1] -= 1
                if state.byUser[peer.uid] == 0 { state.byUser.removeValue(forKey: peer.uid) }
                if !granted { state.ungranted -= 1 }
            }
        }
        return nil
    }

    /// Closes every open connection; calls still running on them are cancelled.
    func closeAll() {
        let open = state.withLock { $0.channels.values }
        for channel in open { channel.close(promise: nil) }
    }
}

/// Bytes held in partial frames across all of a server's connections, against one budget: a
/// connection whose partial frame would take the total past it is closed, so many connections
/// each holding most of a large frame cannot take the daemon's memory.
final class BufferedBytes: Sendable {
    let limit: Int
    private let held = Atomic<Int>(0)

    init(limit: Int) { self.limit = limit }

    /// Changes a connection's share by `delta`; false (changing nothing) when growing it would
    /// pass the budget.
    func change(by delta: Int) -> Bool {
        if delta <= 0 {
            held.wrappingSubtract(-delta, ordering: .relaxed)
            return true
        }
        let after = held.wrappingAdd(delta, ordering: .relaxed).newValue
        guard after <= limit else {
            held.wrappingSubtract(delta, ordering: .relaxed)
            return false
        }
        return true
    }

    var current: Int { held.load(ordering: .relaxed) }
}
