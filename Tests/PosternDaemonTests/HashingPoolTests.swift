import PosternDaemon
import PosternWire
import Foundation
import Testing

@Suite struct HashingPoolTests {
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
        let started = DispatchSemaphore(value: 0)
        let gate = DispatchSemaphore(value: 0)
        // One job holds the only thread…
        let first = Task { try await pool.run { started.signal(); gate.wait() } }
        await Task.detached { started.wait() }.value
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

    @Test func aStoppedPoolRefusesWithUnavailable() async {
        let pool = HashingPool(threads: 1, queueLimit: 4)
        pool.stop()
        let refused = await #expect(throws: RPCError.self) { try await pool.run { 1 } }
        #expect(refused?.code == .unavailable)
    }
}
