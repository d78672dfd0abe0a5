import PosternHashing
import PosternRPC
import Foundation
import Synchronization
import Testing

@Suite struct HashingPoolTests {
    @Test func aStoppedPoolRefusesWithItsOwnReason() async throws {
        let pool = HashingPool(threads: 1, queueLimit: 1, name: "test-stopped", jobs: "tests", stopped: "source s was changed")
        pool.stop()
        do {
            _ = try await pool.run { 1 }
            Issue.record("a stopped pool ran a job")
        } catch {
            #expect(error.code == .unavailable && error.message == "source s was changed")
        }
    }

    @Test func jobsRunOnAtMostThePoolsThreads() async throws {
        let pool = HashingPool(threads: 2, queueLimit: 8)
        defer { pool.stop() }
        let threads = try await withThrowingTaskGroup(of: UInt.self) { group in
            for _ in 0..<6 {
                group.addTask {
                    try await pool.run {
                        usleep(20_000)
                        return UInt(bitPattern: Int(bitPattern: UnsafeRawPointer(bitPattern: UInt(pthread_self()))))
                    }
                }
            }
            return try await group.reduce(into: Set<UInt>()) { $0.insert($1) }
        }
        #expect((1...2).contains(threads.count), "\(threads.count) threads ran 6 jobs")
    }

    @Test(.timeLimit(.minutes(1)))
    func aFullQueueRefusesAtOnceAndTheRestStillFinish() async throws {
        let pool = HashingPool(threads: 1, queueLimit: 2)
        defer { pool.stop() }
        let started = Ran()
        let gate = DispatchSemaphore(value: 0)
        // One job holds the only thread…
        let first = Task { try await pool.run { started.add(1); gate.wait() } }
        while started.values.isEmpty { try await Task.sleep(for: .milliseconds(5)) }
        // …two wait behind it, and the fourth finds the queue full.
        let second = Task { try await pool.run { 2 } }
        let third = Task { try await pool.run { 3 } }
        while pool.waiting < 2 { try await Task.sleep(for: .milliseconds(5)) }
        let refused = await #expect(throws: RPCError.self) { try await pool.run { 4 } }
        #expect(refused?.code == .resourceExhausted)
        gate.signal()
        try await first.value
        #expect(try await second.value == 2)
        #expect(try await third.value == 3)
    }

    /// A queue limit of 0 means no job waits: one runs while a thread is free, and only a job
    /// that finds every thread busy is refused.
    @Test(.timeLimit(.minutes(1)))
    func withNoQueueAFreeThreadStillRuns() async throws {
        let pool = HashingPool(threads: 1, queueLimit: 0)
        defer { pool.stop() }
        #expect(try await pool.run { 7 } == 7)
        let started = Ran()
        let gate = DispatchSemaphore(value: 0)
        let held = Task { try await pool.run { started.add(1); gate.wait() } }
        // Polled, not waited for on a semaphore: the cooperative pool's threads stay free.
        while started.values.isEmpty { try await Task.sleep(for: .milliseconds(5)) }
        let refused = await #expect(throws: RPCError.self) { try await pool.run { 8 } }
        #expect(refused?.code == .resourceExhausted)
        gate.signal()
        try await held.value
        #expect(try await pool.run { 9 } == 9)
    }

    /// A burst on idle threads is taken up to threads + queue limit, however the threads' wake-ups
    /// interleave with it; the next job is refused.
    @Test(.timeLimit(.minutes(1)))
    func aBurstFillsTheThreadsAndTheQueueBeforeAnyRefusal() async throws {
        let pool = HashingPool(threads: 2, queueLimit: 1)
        defer { pool.stop() }
        let started = Ran()
        let gate = DispatchSemaphore(value: 0)
        let burst = (0..<3).map { index in Task { try await pool.run { started.add(index); gate.wait(); return index } } }
        while started.values.count < 2 || pool.waiting < 1 { try await Task.sleep(for: .milliseconds(5)) }
        let refused = await #expect(throws: RPCError.self) { try await pool.run { 3 } }
        #expect(refused?.code == .resourceExhausted)
        for _ in burst { gate.signal() }
        var finished: [Int] = []
        for job in burst { finished.append(try await job.value) }
        #expect(finished == [0, 1, 2])
    }

    /// A caller cancelled while its job waits (its deadline passed, its client left) is answered
    /// at once, the job never runs, and it stops counting against the queue's limit.
    @Test(.timeLimit(.minutes(1)))
    func aJobCancelledWhileItWaitsNeverRunsAndFreesItsPlace() async throws {
        let pool = HashingPool(threads: 1, queueLimit: 2)
        defer { pool.stop() }
        let started = Ran()
        let gate = DispatchSemaphore(value: 0)
        let ran = Ran()
        let first = Task { try await pool.run { started.add(1); gate.wait() } }
        while started.values.isEmpty { try await Task.sleep(for: .milliseconds(5)) }

        let cancelled = Task { try await pool.run { ran.add(2) } }
        let kept = Task { try await pool.run { ran.add(3) } }
        while pool.waiting < 2 { try await Task.sleep(for: .milliseconds(5)) }
        cancelled.cancel()
        // Answered while the only thread is still busy with the first job.
        let refusal = await #expect(throws: RPCError.self) { try await cancelled.value }
        #expect(refusal?.code == .cancelled)
        #expect(pool.waiting == 1)
        // Its place is free again: one more job fits behind the kept one.
        let another = Task { try await pool.run { ran.add(4) } }
        while pool.waiting < 2 { try await Task.sleep(for: .milliseconds(5)) }

        gate.signal()
        try await first.value
        try await kept.value
        try await another.value
        #expect(ran.values == [3, 4], "the cancelled job never ran")
        #expect(pool.waiting == 0)
    }

    /// A task cancelled before it asks gets no job queued at all.
    @Test func anAlreadyCancelledCallerIsAnsweredWithoutRunning() async throws {
        let pool = HashingPool(threads: 1, queueLimit: 4)
        defer { pool.stop() }
        let started = Ran()
        let gate = DispatchSemaphore(value: 0)
        let busy = Task { try await pool.run { started.add(1); gate.wait() } }
        while started.values.isEmpty { try await Task.sleep(for: .milliseconds(5)) }
        let ran = Ran()
        let caller = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await pool.run { ran.add(1) }
        }
        let refusal = await #expect(throws: RPCError.self) { try await caller.value }
        #expect(refusal?.code == .cancelled)
        gate.signal()
        _ = try? await busy.value
        #expect(ran.values.isEmpty)
    }

    @Test func aStoppedPoolRefusesWithUnavailable() async {
        let pool = HashingPool(threads: 1, queueLimit: 4)
        pool.stop()
        let refused = await #expect(throws: RPCError.self) { try await pool.run { 1 } }
        #expect(refused?.code == .unavailable)
    }
}

/// The jobs that ran, in order.
private final class Ran: Sendable {
    private let list = Mutex<[Int]>([])
    func add(_ value: Int) { list.withLock { $0.append(value) } }
    var values: [Int] { list.withLock { $0 } }
}
