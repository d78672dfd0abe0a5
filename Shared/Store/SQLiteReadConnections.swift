import Synchronization

/// Plain read connections to one database file, lent one caller at a time: a connection is
/// opened the first time every kept one is busy, and kept for the next caller, up to
/// `kept` (more callers at once than that open and close their own).
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
            connection = lent
        } else {
            connection = try SQLiteReadConnection(path: path, busyTimeout: busyTimeout)
        }
        let result = try body(connection)
        idle.withLock { connections in
            if connections.count < kept { connections.append(connection) }
        }
        return result
    }
}
