import Synchronization

/// Runs work against a deadline, answering at whichever comes first: the work's result, or nil
/// at the deadline — then, not whenever the work notices its cancellation.
enum Deadline {
    static func race<T: Sendable>(_ body: @escaping @Sendable () async -> T, within timeout: Duration) async -> T? {
        let race = Race<T>()
        return await withCheckedContinuation { continuation in
            race.start(continuation, body, timeout)
        }
    }

    /// The two tasks of one race and whether it is decided.
    private final class Race<T: Sendable>: Sendable {
        private struct State {
            var continuation: CheckedContinuation<T?, Never>?
            var work: Task<Void, Never>?
            var timer: Task<Void, Never>?
        }

        private let state = Mutex(State())

        func start(_ continuation: CheckedContinuation<T?, Never>, _ body: @escaping @Sendable () async -> T, _ timeout: Duration) {
            state.withLock { $0.continuation = continuation }
            let timer = Task {
                do {
                    try await Task.sleep(for: timeout)
                } catch {
                    return  // the work finished first
                }
                self.finish(nil)
            }
            let work = Task { self.finish(await body()) }
            state.withLock { state in
                state.timer = timer
                state.work = work
            }
            // Whichever finished before the handles were kept has nothing to cancel yet.
            if state.withLock({ $0.continuation == nil }) { cancelBoth() }
        }

        private func finish(_ value: T?) {
            guard let continuation = state.withLock({ state in
                defer { state.continuation = nil }
                return state.continuation
            }) else { return }
            continuation.resume(returning: value)
            cancelBoth()
        }

        private func cancelBoth() {
            let (work, timer) = state.withLock { ($0.work, $0.timer) }
            work?.cancel()
            timer?.cancel()
        }
    }
}
