import Dispatch
import Testing

@testable import PolicyService

@Suite struct DeadlineTests {
    @Test func theWorkFirstGivesItsResult() async {
        let result = await Deadline.race({ 7 }, within: .seconds(5))
        #expect(result == 7)
    }

    /// The answer comes at the deadline, not when the work ends. (How close to the deadline is
    /// the daemon-level test's to judge — `test_a_timeout_yields_failure_result_unnegated_within_the_timeout`
    /// — the test runner here shares two threads with every other suite.)
    @Test func theDeadlineAnswersEvenWhenTheWorkIgnoresCancellation() async {
        let start = ContinuousClock.now
        // Work that cannot be cancelled: it ends 30 s later whatever happens.
        let result = await Deadline.race(
            {
                await withCheckedContinuation { continuation in
                    DispatchQueue.global().asyncAfter(deadline: .now() + 30) { continuation.resume(returning: 1) }
                }
            }, within: .milliseconds(100))
        let elapsed = ContinuousClock.now - start
        #expect(result == nil)
        #expect(elapsed >= .milliseconds(100) && elapsed < .seconds(30))
    }

    @Test func cancellableWorkIsCancelledAtTheDeadline() async {
        let cancelled = await withCheckedContinuation { (seen: CheckedContinuation<Bool, Never>) in
            Task {
                _ = await Deadline.race(
                    {
                        do {
                            try await Task.sleep(for: .seconds(10))
                            seen.resume(returning: false)
                        } catch {
                            seen.resume(returning: true)
                        }
                    }, within: .milliseconds(50))
            }
        }
        #expect(cancelled)
    }
}
