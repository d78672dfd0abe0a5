import PosternHashing
import PosternRPC
import Synchronization

/// A job on a pool that its caller waits for at most `timeout`: for a library call that has
/// no time limit of its own (libkrb5's KDC exchanges retry for many seconds). Past the timeout
/// the caller hears nil at once; a job still queued is dropped, one already running finishes
/// on its thread and its answer is discarded — so the pool's bound still holds.
enum DeadlinedJob {
    static func run<T: Sendable>(
        on pool: HashingPool, within timeout: Duration, _ body: @escaping @Sendable () -> T
    ) async throws(RPCError) -> T? {
        let answer = Answer<T>()
        let result: Result<T?, RPCError> = await withCheckedContinuation { continuation in
            answer.wait(continuation)
            let job = Task {
                do throws(RPCError) {
                    answer.give(.success(try await pool.run(body)))
                } catch {
                    answer.give(.failure(error))
                }
            }
            let timer = Task {
                try? await Task.sleep(for: timeout)
                answer.give(.success(nil))
                job.cancel()
            }
            answer.onGiven { timer.cancel() }
        }
        return try result.get()
    }

    /// The first answer given resumes the caller; later ones are dropped.
    private final class Answer<T: Sendable>: Sendable {
        private struct State {
            var continuation: CheckedContinuation<Result<T?, RPCError>, Never>?
            var given = false
            var then: (@Sendable () -> Void)?
        }

        private let state = Mutex(State())

        func wait(_ continuation: CheckedContinuation<Result<T?, RPCError>, Never>) {
            state.withLock { $0.continuation = continuation }
        }

        /// `action` once an answer is given (at once if it has been).
        func onGiven(_ action: @escaping @Sendable () -> Void) {
            let now = state.withLock { state -> Bool in
                if state.given { return true }
                state.then = action
                return false
            }
            if now { action() }
        }

        func give(_ result: Result<T?, RPCError>) {
            let (continuation, then) = state.withLock { state -> (CheckedContinuation<Result<T?, RPCError>, Never>?, (@Sendable () -> Void)?) in
                guard !state.given else { return (nil, nil) }
                state.given = true
                defer { state.continuation = nil; state.then = nil }
                return (state.continuation, state.then)
            }
            continuation?.resume(returning: result)
            then?()
        }
    }
}
