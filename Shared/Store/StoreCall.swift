import Logging
import PosternRPC

/// Runs a store operation for an RPC and turns its failure into the status a caller can act
/// on: a taken unique value is ALREADY_EXISTS, a value the schema refuses INVALID_ARGUMENT,
/// anything else UNAVAILABLE (logged, with the store's reason, which the caller does not see).
public func storeCall<T>(
    _ logger: Logger, _ operation: () async throws(StoreError) -> T
) async throws(RPCError) -> T {
    do {
        return try await operation()
    } catch {
        throw rpcError(error, logger)
    }
}

/// `storeCall` for a store operation that runs on the calling thread.
public func storeCallNow<T>(_ logger: Logger, _ operation: () throws(StoreError) -> T) throws(RPCError) -> T {
    do {
        return try operation()
    } catch {
        throw rpcError(error, logger)
    }
}

private func rpcError(_ error: StoreError, _ logger: Logger) -> RPCError {
    switch error {
    case .alreadyExists(let column):
        return RPCError(code: .alreadyExists, message: "the \(column) is already taken")
    case .invalid(let message):
        return RPCError(code: .invalidArgument, message: "refused: \(message)")
    case .unavailable(let message):
        logger.error("store failed", metadata: ["error": "\(message)"])
        return RPCError(code: .unavailable, message: "the store is unavailable; try again")
    }
}
