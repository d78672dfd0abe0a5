import NIOPosix

/// Work that belongs to a call but need not hold up its answer, such as a success's audit line
/// (docs/server.md, "After the answer").
///
/// A call answered on the event loop's thread where it arrived (a synchronous method, or an
/// asynchronous one that never suspended) has its answer written and flushed before that loop
/// runs its queued tasks, so the work runs then, as the loop's next task, while the client
/// is already reading. Anywhere else (a handler that resumed on Swift's global executor, a
/// test calling a service directly) it runs at once. Either way it runs on a thread of this
/// daemon before the connection's next call does, so events keep their order; a stopping loop
/// still runs its queued tasks.
public enum AfterTheAnswer {
    public static func run(_ work: @escaping @Sendable () -> Void) {
        if let loop = MultiThreadedEventLoopGroup.currentEventLoop {
            loop.execute(work)
        } else {
            work()
        }
    }
}
