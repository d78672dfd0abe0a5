import Dispatch
import Testing

@testable import PolicyService

@Suite struct DeadlineTests {
    @Test func theWorkFirstGivesItsResult() async {
        let result = await Deadline.race({ 7 }, within: .seconds(5))
        #expect(result == 7)
    }

    @Test func theDeadlineAnswersEvenWhenTheWorkIgnoresCancellation() async {
        let start = ContinuousClock.now
        // Work that cannot be cancelled: it finishes a second later whatever happens.
        let result = await Deadline.race(
            {
                await withCheckedContinuation { continuation in
                    DispatchQueue.global().asyncAfter(deadline: .now() + 1) { continuation.resume(returning: 1) }
                }
            }, within: .milliseconds(100))
        let elapsed = ContinuousClock.now - start
        #expect(result == nil)
        #expect(elapsed >= .milliseconds(100) && elapsed < .milliseconds(600))
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
