import GRDB

/// A store operation that failed, sorted into what a caller can act on.
public enum StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A unique column already holds the value: `column` names it (`username`, `id`).
    case alreadyExists(column: String)
    /// A value the schema refuses (a CHECK constraint): not JSON, empty, unknown type.
    case invalid(String)
    /// The database could not do it (disk full, locked past the busy timeout, I/O error).
    case unavailable(String)

    public init(_ error: any Error) {
        if let error = error as? StoreError {
            self = error
            return
        }
        guard let error = error as? DatabaseError else {
            self = .unavailable("\(error)")
            return
        }
        let message = error.message ?? "\(error.resultCode)"
        switch error.extendedResultCode {
        case .SQLITE_CONSTRAINT_UNIQUE, .SQLITE_CONSTRAINT_PRIMARYKEY:
            // "UNIQUE constraint failed: user.username"
            let column = message.split(separator: ".").last.map(String.init) ?? "a unique column"
            self = .alreadyExists(column: column)
        case .SQLITE_CONSTRAINT_CHECK, .SQLITE_CONSTRAINT_NOTNULL:
            self = .invalid(message)
        default:
            self = .unavailable(message)
        }
    }

    public var description: String {
        switch self {
        case .alreadyExists(let column): "the \(column) is already taken"
        case .invalid(let message): "refused by the store: \(message)"
        case .unavailable(let message): "the store failed: \(message)"
        }
    }
}
