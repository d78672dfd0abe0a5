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

    /// The deferrer, boxed: a closure kept directly in a `Mutex` and read back with
    /// `withLock { $0 }` came back wrapped in one more reabstraction thunk on every read, and
    /// the wrapper was written back, so each call of `run` went through a chain as long as the
    /// number of calls before it (a login took 0.4 ms after 2,000 of them, and memory grew).
    /// A class reference is read back as it is.
    private final class Installed: Sendable {
        let deferrer: Deferrer
        init(_ deferrer: @escaping Deferrer) { self.deferrer = deferrer }
    }

    private static let installed = Mutex<Installed?>(nil)

    /// Sets how work is deferred; the server calls it before it serves.
    public static func install(_ deferrer: @escaping Deferrer) {
        let boxed = Installed(deferrer)
        installed.withLock { $0 = boxed }
    }

    public static func run(_ work: @escaping @Sendable () -> Void) {
        let current: Installed? = installed.withLock { $0 }
        if let current, current.deferrer(work) { return }
        work()
    }
}
