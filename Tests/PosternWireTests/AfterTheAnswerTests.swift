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

    @Test func offAnEventLoopTheWorkRunsAtOnce() {
        let ran = Mutex(false)
        AfterTheAnswer.run { ran.withLock { $0 = true } }
        #expect(ran.withLock { $0 })
    }
}
