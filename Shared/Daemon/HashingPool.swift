import Dispatch
import Foundation
import PosternWire
import Synchronization

/// The threads password hashing runs on: a fixed number (the cores, by default) with a bounded
/// queue in front. A job that finds the queue full is refused at once with RESOURCE_EXHAUSTED,
/// so overload costs callers a quick answer instead of growing latency and memory without
/// bound. Event loops and Swift's cooperative pool never hash: a slow KDF there would stall
/// every other call.
public final class HashingPool: Sendable {
    public let threads: Int
    public let queueLimit: Int

    private struct State {
        var waiting: [@Sendable () -> Void] = []
        var head = 0
        var stopped = false
    }

    private let state = Mutex(State())
    private let available = DispatchSemaphore(value: 0)

    public init(threads: Int, queueLimit: Int) {
        precondition(threads > 0 && queueLimit >= 0)
        self.threads = threads
        self.queueLimit = queueLimit
        for index in 0..<threads {
            let thread = Thread { [self] in work() }
            thread.name = "postern-hash-\(index)"
            thread.start()
        }
    }

    /// Runs `body` on a pool thread and returns its result; RESOURCE_EXHAUSTED when the queue
    /// is full, UNAVAILABLE once the pool is stopped.
    public func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async throws(RPCError) -> T {
        let result: Result<T, RPCError> = await withCheckedContinuation { continuation in
            let accepted: RPCError? = state.withLock { state in
                guard !state.stopped else {
                    return RPCError(code: .unavailable, message: "the daemon is stopping")
                }
                guard state.waiting.count - state.head < queueLimit else {
                    return RPCError(
                        code: .resourceExhausted,
                        message: "too many password hashes waiting (limit \(queueLimit)); try again shortly")
                }
                state.waiting.append { continuation.resume(returning: .success(body())) }
                return nil
            }
            if let refusal = accepted {
                continuation.resume(returning: .failure(refusal))
            } else {
                available.signal()
            }
        }
        return try result.get()
    }

    /// Jobs waiting for a thread now.
    public var waiting: Int { state.withLock { $0.waiting.count - $0.head } }

    /// Refuses new jobs and lets the threads end once the queue is empty.
    public func stop() {
        state.withLock { $0.stopped = true }
        for _ in 0..<threads { available.signal() }
    }

    private func work() {
        while true {
            available.wait()
            let job: (@Sendable () -> Void)? = state.withLock { state in
                guard state.head < state.waiting.count else { return nil }
                let job = state.waiting[state.head]
                state.head += 1
                // Drop the consumed prefix now and then so the array does not grow forever.
                if state.head > 64 && state.head * 2 > state.waiting.count {
                    state.waiting.removeFirst(state.head)
                    state.head = 0
                }
                return job
            }
            if let job {
                job()
            } else if state.withLock({ $0.stopped }) {
                return
            }
        }
    }
}
