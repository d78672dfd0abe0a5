import Foundation
import GRDBSQLite

/// A value bound to a statement's parameter.
public enum SQLiteArgument: Sendable {
    case text(String)
    case integer(Int64)
    /// Stored as GRDB stores dates (`SQLiteDateText`), so it compares with GRDB's columns.
    case date(Date)
    case null
}

/// A statement a `SQLiteReadConnection` prepares once and keeps: kept by this object's
/// identity, so finding it again costs no hashing of the SQL text (a login's is 600 bytes).
public final class SQLiteQuery: Sendable {
    public let sql: String

    public init(_ sql: String) { self.sql = sql }
}

/// A plain SQLite connection, for the one read on a hot path that GRDB's pool makes too slow
/// (docs/storage.md): no pool to borrow from, no dispatch queue, no schema-cache check, and
/// rows read by column index. It never writes (`PRAGMA query_only`); one thread uses it at a
/// time, lent by `SQLiteReadConnections`. Each statement runs in its own read transaction,
/// so a single statement sees one consistent state of the store; the transaction lasts until
/// `endRead()`, which the next statement calls first if nobody did.
public final class SQLiteReadConnection: @unchecked Sendable {
    private let handle: OpaquePointer
    /// By query; each entry holds its query, so no other query can take its identity.
    private var statements: [ObjectIdentifier: (query: SQLiteQuery, statement: OpaquePointer)] = [:]
    /// The statement whose row was read and whose read transaction is still open.
    private var reading: OpaquePointer?

    /// Opens the existing database at `path`; a read waits at most `busyTimeout` milliseconds
    /// for a lock (in WAL mode a reader waits only while another connection recovers the WAL).
    init(path: String, busyTimeout: Int32) throws(StoreError) {
        var opened: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        let result = sqlite3_open_v2(path, &opened, flags, nil)
        guard result == SQLITE_OK, let opened else {
            let message = opened.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(opened)
            throw .unavailable("cannot open \(path) for reading: \(message)")
        }
        handle = opened
        sqlite3_busy_timeout(handle, busyTimeout)
        guard sqlite3_exec(handle, "PRAGMA query_only = 1", nil, nil, nil) == SQLITE_OK else {
            let error = failure("PRAGMA query_only")
            sqlite3_close_v2(handle)
            throw error
        }
    }

    deinit {
        for entry in statements.values { sqlite3_finalize(entry.statement) }
        sqlite3_close_v2(handle)
    }

    /// Runs `query` with `arguments` bound to `?1`, `?2`, … and reads its first row with `read`;
    /// nil when it returns no row. `read` must not keep the row. A row read leaves its read
    /// transaction open until `endRead()`; anything else ends it before returning.
    public func firstRow<T>(
        _ query: SQLiteQuery, _ arguments: [SQLiteArgument], _ read: (SQLiteRow) throws(StoreError) -> T
    ) throws(StoreError) -> T? {
        endRead()
        let statement = try prepared(query)
        var rowRead = false
        defer {
            if !rowRead {
                sqlite3_reset(statement)
                sqlite3_clear_bindings(statement)
            }
        }
        for (offset, argument) in arguments.enumerated() {
            let result = bind(argument, to: statement, at: Int32(offset + 1))
            guard result == SQLITE_OK else { throw failure("binding parameter \(offset + 1)") }
        }
        switch sqlite3_step(statement) {
        case SQLITE_ROW:
            let row = try read(SQLiteRow(statement: statement))
            rowRead = true
            reading = statement
            return row
        case SQLITE_DONE: return nil
        default: throw failure("reading")
        }
    }

    /// Ends the read transaction a row read left open, if any (resetting its statement
    /// releases the WAL read lock) and unbinds its parameters.
    public func endRead() {
        guard let statement = reading else { return }
        reading = nil
        sqlite3_reset(statement)
        sqlite3_clear_bindings(statement)
    }

    /// Whether a read transaction is open on this connection.
    var isReading: Bool { reading != nil }

    private func prepared(_ query: SQLiteQuery) throws(StoreError) -> OpaquePointer {
        let key = ObjectIdentifier(query)
        if let entry = statements[key] { return entry.statement }
        var statement: OpaquePointer?
        guard sqlite3_prepare_v3(handle, query.sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil) == SQLITE_OK,
              let statement
        else { throw failure("preparing a statement") }
        statements[key] = (query, statement)
        return statement
    }

    private func bind(_ argument: SQLiteArgument, to statement: OpaquePointer, at index: Int32) -> Int32 {
        switch argument {
        case .null:
            return sqlite3_bind_null(statement, index)
        case .integer(let value):
            return sqlite3_bind_int64(statement, index, value)
        case .date(let date):
            return bind(.text(SQLiteDateText.text(date)), to: statement, at: index)
        case .text(var text):
            // SQLite copies the bytes (SQLITE_TRANSIENT). An empty string still binds text,
            // not NULL, through a non-nil pointer.
            return text.withUTF8 { bytes in
                withUnsafePointer(to: 0 as CChar) { empty in
                    sqlite3_bind_text(
                        statement, index, bytes.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) } ?? empty,
                        Int32(bytes.count), Self.transient)
                }
            }
        }
    }

    /// SQLite's SQLITE_TRANSIENT, which Swift does not import: "copy the bytes now".
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    private func failure(_ doing: String) -> StoreError {
        .unavailable("\(doing): \(String(cString: sqlite3_errmsg(handle))) (\(sqlite3_extended_errcode(handle)))")
    }
}

/// The current row of a statement, read by column index (0-based).
public struct SQLiteRow {
    fileprivate let statement: OpaquePointer

    public func isNull(_ column: Int32) -> Bool { sqlite3_column_type(statement, column) == SQLITE_NULL }

    public func integer(_ column: Int32) -> Int64 { sqlite3_column_int64(statement, column) }

    public func bool(_ column: Int32) -> Bool { integer(column) != 0 }

    /// The column as text ("" for NULL).
    public func text(_ column: Int32) -> String {
        withBytes(column) { String(decoding: $0, as: UTF8.self) }
    }

    public func optionalText(_ column: Int32) -> String? { isNull(column) ? nil : text(column) }

    public func blob(_ column: Int32) -> Data {
        let count = Int(sqlite3_column_bytes(statement, column))
        guard count > 0, let bytes = sqlite3_column_blob(statement, column) else { return Data() }
        return Data(bytes: bytes, count: count)
    }

    /// The column as a date stored by GRDB; nil for NULL or text that is no date.
    public func date(_ column: Int32) -> Date? {
        isNull(column) ? nil : withBytes(column) { SQLiteDateText.date($0) }
    }

    private func withBytes<T>(_ column: Int32, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
        // Text first, then its length, as SQLite's documentation asks.
        let text = sqlite3_column_text(statement, column)
        let count = Int(sqlite3_column_bytes(statement, column))
        return body(UnsafeBufferPointer(start: text, count: text == nil ? 0 : count))
    }
}
