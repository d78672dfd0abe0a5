import Synchronization

/// Work that belongs to a call but need not hold up its answer, such as a success's audit line
/// (docs/server.md, "After the answer").
///
/// A call answered on the event loop's thread where it arrived has its answer written and
/// flushed before that loop runs its queued tasks, so the work runs then, as the loop's next
/// task, while the client is already reading. Anywhere else (a handler that resumed on Swift's
/// global executor, a test calling a service directly) it runs at once. Either way it runs on
/// a thread of this daemon before the connection's next call does, so events keep their order.
///
/// Which thread is an event loop is the transport's knowledge: the server installs `deferrer`
/// when it starts (Shared/Wire), so this module needs no event-loop library.
public enum AfterTheAnswer {
    /// Queues `work` on the current thread's event loop and returns true, or returns false
    /// when the current thread is not an event loop.
    public typealias Deferrer = @Sendable (_ work: @escaping @Sendable () -> Void) -> Bool

    private static let installed = Mutex<Deferrer?>(nil)

    /// Sets how work is deferred; the server calls it before it serves.
    public static func install(_ deferrer: @escaping Deferrer) {
        installed.withLock { $0 = deferrer }
    }

    public static func run(_ work: @escaping @Sendable () -> Void) {
        if let deferrer = installed.withLock({ $0 }), deferrer(work) { return }
        work()
    }
}
