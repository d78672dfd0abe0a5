import Dispatch
import PosternRPC

/// Runs a change of the store on a dispatch thread, so neither an event loop nor Swift's
/// cooperative pool waits on SQLite.
enum StoreWork {
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws(RPCError) -> T) async throws(RPCError) -> T {
        let result: Result<T, RPCError> = await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async {
                continuation.resume(returning: Result { () throws(RPCError) in try body() })
            }
        }
        return try result.get()
    }
}
