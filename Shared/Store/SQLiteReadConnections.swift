import PosternRPC
import Synchronization

/// Plain read connections to one database file, lent one caller at a time: a connection is
/// opened the first time every kept one is busy, and kept for the next caller, up to
/// `kept` (more callers at once than that open and close their own).
///
/// A read's end — resetting its statement, which releases its WAL read lock with two `fcntl`
/// calls, some 3 µs here — is left until after the answer (`AfterTheAnswer`): the connection
/// goes back idle with its read still open, and the first of two things closes it — the event
/// loop's next task, or the next caller who borrows the connection. So a snapshot is held at
/// most until the event loop has written its answers, never while the daemon waits for calls
/// (docs/storage.md). Off an event loop the read ends at once.
public final class SQLiteReadConnections: Sendable {
    public let path: String
    private let kept: Int
    private let busyTimeout: Int32
    private let idle = Mutex<[SQLiteReadConnection]>([])

    /// `busyTimeout`: milliseconds a read may wait for a lock before it fails UNAVAILABLE.
    public init(path: String, kept: Int = 16, busyTimeout: Int32 = 250) {
        self.path = path
        self.kept = kept
        self.busyTimeout = busyTimeout
    }

    /// Runs `body` with a connection no one else is using. A connection whose read failed is
    /// closed rather than kept.
    public func withConnection<T>(_ body: (SQLiteReadConnection) throws(StoreError) -> T) throws(StoreError) -> T {
        let connection: SQLiteReadConnection
        if let lent = idle.withLock({ $0.popLast() }) {
            // A read it still has open ends before its next statement (`firstRow`).
            connection = lent
        } else {
            connection = try SQLiteReadConnection(path: path, busyTimeout: busyTimeout)
        }
        let result: T
        do {
            result = try body(connection)
        } catch {
            connection.endRead()
            throw error
        }
        guard keep(connection) else {
            connection.endRead()
            return result
        }
        AfterTheAnswer.run { [self] in
            // Unless a caller has borrowed it meanwhile (and ended the read itself).
            guard let mine = idle.withLock({ connections in
                connections.firstIndex { $0 === connection }.map { connections.remove(at: $0) }
            }) else { return }
            mine.endRead()
            _ = keep(mine)
        }
        return result
    }

    /// Puts `connection` back idle, unless enough are; false when it was not kept (it closes
    /// when its last reference goes).
    private func keep(_ connection: SQLiteReadConnection) -> Bool {
        idle.withLock { connections in
            guard connections.count < kept else { return false }
            connections.append(connection)
            return true
        }
    }

    /// How many idle connections still have a read open: for tests and diagnostics.
    public var idleConnectionsReading: Int {
        idle.withLock { connections in connections.filter(\.isReading).count }
    }
}
