import NIOPosix
import PosternRPC

extension AfterTheAnswer {
    /// Defers work to the current thread's NIO event loop, if it is one. `RPCServer` installs
    /// it before it serves.
    public static let onTheEventLoop: Deferrer = { work in
        guard let loop = MultiThreadedEventLoopGroup.currentEventLoop else { return false }
        loop.execute(work)
        return true
    }
}
