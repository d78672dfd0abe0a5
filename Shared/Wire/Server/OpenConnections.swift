import PosternRPC
import NIOCore
import Synchronization

/// A server's open connections: counted against a limit, and closed together when the
/// server has finished stopping.
final class OpenConnections: Sendable {
    let limit: Int
    private let channels = Mutex<[ObjectIdentifier: any Channel]>([:])

    init(limit: Int) { self.limit = limit }

    /// Admits `channel` and forgets it once it closes; false (admitting nothing) when `limit`
    /// connections are open.
    func admit(_ channel: any Channel) -> Bool {
        let id = ObjectIdentifier(channel)
        let admitted = channels.withLock { open in
            guard open.count < limit else { return false }
            open[id] = channel
            return true
        }
        if admitted {
            channel.closeFuture.whenComplete { [self] _ in
                _ = channels.withLock { $0.removeValue(forKey: id) }
            }
        }
        return admitted
    }

    /// Closes every open connection; calls still running on them are cancelled.
    func closeAll() {
        let open = channels.withLock { $0.values }
        for channel in open { channel.close(promise: nil) }
    }
}
