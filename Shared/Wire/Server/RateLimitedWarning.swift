import Logging
import Synchronization

/// A warning that may fire thousands of times a second (refused connections): the first of
/// each `interval` is logged, the rest are counted, and when the interval ends a summary line
/// says how many were suppressed, so a flood writes two lines a second, not thousands.
public final class RateLimitedWarning: Sendable {
    private struct State {
        var windowEnds: ContinuousClock.Instant?
        var suppressed = 0
    }

    private let logger: Logger
    private let message: Logger.Message
    private let interval: Duration
    private let state = Mutex(State())

    public init(logger: Logger, message: Logger.Message, interval: Duration = .seconds(1)) {
        self.logger = logger
        self.message = message
        self.interval = interval
    }

    public func warn(metadata: @autoclosure () -> Logger.Metadata = [:]) {
        let now = ContinuousClock.now
        let opensWindow = state.withLock { state in
            if let ends = state.windowEnds, now < ends {
                state.suppressed += 1
                return false
            }
            state.windowEnds = now + interval
            return true
        }
        guard opensWindow else { return }
        logger.warning(message, metadata: metadata())
        Task { [self] in
            try? await Task.sleep(for: interval)
            summarize()
        }
    }

    /// Logs how many warnings the window that just ended suppressed, if any.
    private func summarize() {
        let suppressed = state.withLock { state in
            defer { state.suppressed = 0 }
            return state.suppressed
        }
        guard suppressed > 0 else { return }
        logger.warning("\(message) (repeated)", metadata: ["suppressed": "\(suppressed)", "within": "\(interval)"])
    }
}
