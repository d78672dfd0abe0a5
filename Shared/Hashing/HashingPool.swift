import Dispatch
import Foundation
import PosternRPC
import Synchronization

/// The threads password hashing runs on: a fixed number (the cores, by default) with a bounded
/// queue in front. A job is taken while a thread is free or the queue has room — so the pool
/// holds `threads + queueLimit` jobs, and a limit of 0 means "no waiting", not "no hashing".
/// A job that finds every thread busy and the queue full is refused at once with
/// RESOURCE_EXHAUSTED, so overload costs callers a quick answer instead of growing latency and
/// memory without bound. Event loops and Swift's cooperative pool never hash: a slow KDF there
/// would stall every other call. A job whose caller is cancelled while it waits — its deadline
/// passed, or its client went away — leaves the queue without running: under overload the
/// threads hash only for callers still waiting for the answer. A job already running finishes.
public final class HashingPool: Sendable {
    public let threads: Int
    public let queueLimit: Int

    private struct State {
        var waiting: [Job] = []
        var head = 0
        /// Jobs in `waiting` past `head` that are neither taken nor cancelled.
        var live = 0
        /// Jobs a thread has taken and not finished.
        var running = 0
        var stopped = false
    }

    /// One queued job: taken by a thread, or cancelled while it waits — whichever comes first
    /// resumes its caller.
    private final class Job: Sendable {
        enum Phase { case waiting, taken, cancelled }
        let phase = Mutex(Phase.waiting)
        /// Does the work and returns what answers the caller, for the thread to call once it
        /// counts itself free again.
        let body: @Sendable () -> @Sendable () -> Void
        let cancel: @Sendable () -> Void

        init(body: @escaping @Sendable () -> @Sendable () -> Void, cancel: @escaping @Sendable () -> Void) {
            self.body = body
            self.cancel = cancel
        }

        /// Moves from waiting to `next`; false when the job had left waiting already.
        func leave(for next: Phase) -> Bool {
            phase.withLock { phase in
                guard phase == .waiting else { return false }
                phase = next
                return true
            }
        }
    }

    private let state = Mutex(State())
    private let available = DispatchSemaphore(value: 0)
    /// What the jobs are, for the RESOURCE_EXHAUSTED message: "password hashes".
    private let jobs: String
    /// Why a job is refused once the pool is stopped.
    private let stoppedMessage: String

    /// `name` names the threads (`name-0`, …); `jobs` says what waits, in the refusal's message;
    /// `stopped` why a job is refused after `stop()`. Other blocking work uses the same pool
    /// shape (LDAP binds, Kerberos checks: one pool per source, stopped when it changes).
    public init(
        threads: Int, queueLimit: Int, name: String = "postern-hash", jobs: String = "password hashes",
        stopped: String = "the daemon is stopping"
    ) {
        precondition(threads > 0 && queueLimit >= 0)
        self.threads = threads
        self.queueLimit = queueLimit
        self.jobs = jobs
        self.stoppedMessage = stopped
        for index in 0..<threads {
            let thread = Thread { [self] in work() }
            thread.name = "\(name)-\(index)"
            thread.start()
        }
    }

    /// Runs `body` on a pool thread and returns its result; RESOURCE_EXHAUSTED when the queue
    /// is full, UNAVAILABLE once the pool is stopped, CANCELLED when the calling task is
    /// cancelled before a thread takes the job (which then never runs).
    public func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async throws(RPCError) -> T {
        let queued = Mutex<Job?>(nil)
        let result: Result<T, RPCError> = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let job = Job(
                    body: {
                        let value = body()
                        return { continuation.resume(returning: .success(value)) }
                    },
                    cancel: { continuation.resume(returning: .failure(Self.cancelled)) })
                if let refusal = Task.isCancelled ? Self.cancelled : enqueue(job) {
                    continuation.resume(returning: .failure(refusal))
                    return
                }
                queued.withLock { $0 = job }
                available.signal()
                // Cancelled while the job was being queued: the handler below found nothing to cancel.
                if Task.isCancelled { cancel(queued) }
            }
        } onCancel: {
            cancel(queued)
        }
        return try result.get()
    }

    private static let cancelled = RPCError(code: .cancelled, message: "call cancelled")

    /// Queues `job`, or says why not.
    private func enqueue(_ job: Job) -> RPCError? {
        state.withLock { state in
            guard !state.stopped else {
                return RPCError(code: .unavailable, message: stoppedMessage)
            }
            // Jobs that idle threads are about to take do not wait, so they do not count.
            guard state.live < queueLimit + (threads - state.running) else {
                return RPCError(
                    code: .resourceExhausted,
                    message: "too many \(jobs) waiting (limit \(queueLimit)); try again shortly")
            }
            state.waiting.append(job)
            state.live += 1
            return nil
        }
    }

    /// Takes the job out of the queue if no thread has taken it yet, and resumes its caller.
    private func cancel(_ queued: borrowing Mutex<Job?>) {
        guard let job = queued.withLock({ $0 }), job.leave(for: .cancelled) else { return }
        state.withLock { $0.live -= 1 }
        job.cancel()
    }

    /// Jobs waiting for a thread now.
    public var waiting: Int { state.withLock { $0.live } }

    /// Refuses new jobs and lets the threads end once the queue is empty.
    public func stop() {
        state.withLock { $0.stopped = true }
        for _ in 0..<threads { available.signal() }
    }

    private func work() {
        while true {
            available.wait()
            let job: Job? = state.withLock { state in
                // Skip the jobs cancelled while they waited; each still owes one `available`
                // signal, which a later `wait` takes and finds the queue shorter.
                while state.head < state.waiting.count {
                    let job = state.waiting[state.head]
                    state.head += 1
                    // Drop the consumed prefix now and then so the array does not grow forever.
                    if state.head > 64 && state.head * 2 > state.waiting.count {
                        state.waiting.removeFirst(state.head)
                        state.head = 0
                    }
                    if job.leave(for: .taken) {
                        state.live -= 1
                        state.running += 1
                        return job
                    }
                }
                return nil
            }
            if let job {
                let answer = job.body()
                // Free before the caller hears back, so its next job finds this thread free.
                state.withLock { $0.running -= 1 }
                answer()
            } else if state.withLock({ $0.stopped }) {
                return
            }
        }
    }
}
