import NIOPosix
import PosternRPC
import PosternWire
import Synchronization
import Testing

@Suite struct AfterTheAnswerTests {
    @Test func onAnEventLoopTheWorkWaitsUntilWhatTheLoopIsDoingIsDone() async throws {
        AfterTheAnswer.install(AfterTheAnswer.onTheEventLoop)  // as RPCServer does
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()
        let order = Mutex<[String]>([])
        try await loop.submit {
            AfterTheAnswer.run { order.withLock { $0.append("after") } }
            order.withLock { $0.append("answer") }
        }.get()
        // Queued after the work was, so it runs after it.
        try await loop.submit {}.get()
        #expect(order.withLock { $0 } == ["answer", "after"])
        try await group.shutdownGracefully()
    }

    /// Each `run` costs the same however many came before: the installed deferrer once came
    /// back from its lock wrapped in one more thunk per read, so the 20,000th call cost 20,000
    /// thunk calls and the daemon's memory grew with every login.
    @Test func theThousandthCallCostsWhatTheFirstDid() {
        AfterTheAnswer.install(AfterTheAnswer.onTheEventLoop)  // as RPCServer does
        let clock = ContinuousClock()
        func thousandCalls() -> Duration {
            clock.measure { for _ in 0..<1000 { AfterTheAnswer.run {} } }
        }
        let first = thousandCalls()
        for _ in 0..<18 { _ = thousandCalls() }
        let last = thousandCalls()
        // Linear growth makes the last thousand ~20× the first; noise stays far under 5×.
        #expect(last < first * 5, "first \(first), last \(last)")
    }

    @Test func offAnEventLoopTheWorkRunsAtOnce() {
        let ran = Mutex(false)
        AfterTheAnswer.run { ran.withLock { $0 = true } }
        #expect(ran.withLock { $0 })
    }
}
