import PosternRPC
import Logging
import NIOCore
import PosternProtocol

/// One connection's calls: decodes each frame's Envelope, answers refusals and synchronous
/// methods on the event loop, starts asynchronous ones as tasks, and writes each answer as
/// soon as it is ready, so calls on one connection may finish out of order (docs/server.md).
/// Splits frames itself (a `FrameDecoder` inside, not a pipeline stage of its own: one hop
/// less per call).
///
/// Limits: asynchronous calls in flight per connection, each call's deadline (the client's, capped by the
/// server's maximum; the handler's task is cancelled when it passes), the size of an answer.
/// A client that stops reading stops being read from, so unsent answers cannot pile up.
/// A connection idle past its timeout, or one whose frame does not arrive whole in time, is
/// closed; bytes of partly received frames count against the server's `BufferedBytes`.
/// Everything here runs on the channel's event loop; only the handlers' work leaves it.
final class RPCServerHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private struct Call {
        /// Nil while the call's task is being started.
        var task: Task<Void, Never>?
        var deadline: Scheduled<Void>?
    }

    private let router: RPCRouter
    private let configuration: RPCServerConfiguration
    private let peer: PeerCredentials
    private let logger: Logger
    /// Calls whose answer is not written yet, by call id.
    private var inFlight: [UInt64: Call] = [:]

    private let running: InFlightCalls
    private let frames: NIOSingleStepByteToMessageProcessor<FrameDecoder>
    private let buffered: BufferedBytes
    /// This connection's share of `buffered`: the bytes of its partly received frame.
    private var heldBytes = 0
    private let idleTimeout: TimeAmount?
    private let frameTimeout: TimeAmount?
    /// When the connection last received bytes or wrote an answer.
    private var lastActivity = NIODeadline.now()
    /// When the first bytes of the frame not yet whole arrived; nil between frames.
    private var frameStarted: NIODeadline?
    /// The one timer that checks both timeouts, and when it fires.
    private var timer: Scheduled<Void>?
    private var timerFires: NIODeadline?
    /// Set once the connection is being closed for a connection-level failure: nothing more
    /// it sent is run.
    private var closing = false

    /// True from a read's first frame to its `channelReadComplete`: answers written meanwhile
    /// are flushed together then, so a client that pipelines calls gets them in one write.
    private var reading = false
    private var unflushed = false

    init(
        router: RPCRouter, configuration: RPCServerConfiguration, peer: PeerCredentials, granted: Bool,
        running: InFlightCalls, buffered: BufferedBytes, logger: Logger
    ) {
        self.running = running
        self.buffered = buffered
        let frameLimit = granted
            ? configuration.maximumFrameLength
            : min(configuration.maximumFrameLength, RPCServerConfiguration.ungrantedMaximumFrameLength)
        self.frames = NIOSingleStepByteToMessageProcessor(FrameDecoder(maximumFrameLength: frameLimit))
        var idle = configuration.idleTimeout
        if !granted && (idle == .zero || idle > RPCServerConfiguration.ungrantedIdleTimeout) {
            idle = RPCServerConfiguration.ungrantedIdleTimeout
        }
        self.idleTimeout = idle == .zero ? nil : TimeAmount(idle)
        self.frameTimeout = configuration.frameTimeout == .zero ? nil : TimeAmount(configuration.frameTimeout)
        self.router = router
        self.configuration = configuration
        self.peer = peer
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if let idleTimeout { arm(at: lastActivity + idleTimeout, context: context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        release()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !closing else { return }
        reading = true
        lastActivity = .now()
        var completed = false
        do {
            try frames.process(buffer: unwrapInboundIn(data)) { frame in
                completed = true
                if !closing { handle(frame, context: context) }
            }
            account(completed: completed, context: context)
        } catch let tooLarge as FrameTooLargeError {
            closing = true
            logger.notice("closing connection: oversized frame", metadata: ["length": "\(tooLarge.length)"])
            context.answerConnectionFailureAndClose(status: .resourceExhausted, message: tooLarge.description)
        } catch {
            closing = true
            logger.debug("closing connection", metadata: ["error": "\(error)"])
            context.close(promise: nil)
        }
    }

    /// Counts the partly received frame against the server's budget and starts its clock.
    private func account(completed: Bool, context: ChannelHandlerContext) {
        let partial = closing ? 0 : frames.unprocessedBytes
        if partial != heldBytes {
            guard buffered.change(by: partial - heldBytes) else {
                closing = true
                logger.notice("closing connection: buffered-bytes budget spent", metadata: ["limit": "\(buffered.limit)"])
                context.answerConnectionFailureAndClose(
                    status: .resourceExhausted,
                    message: "the server holds too many partly received frames (budget \(buffered.limit) bytes); try again later")
                return
            }
            heldBytes = partial
        }
        if partial == 0 {
            frameStarted = nil
        } else if frameStarted == nil || completed {
            frameStarted = lastActivity
            if let frameTimeout { arm(at: lastActivity + frameTimeout, context: context) }
        }
    }

    /// Gives this connection's share of the budget back.
    private func release() {
        if heldBytes != 0 { _ = buffered.change(by: -heldBytes) }
        heldBytes = 0
    }

    /// Makes the timer fire at `deadline` unless it fires sooner already.
    private func arm(at deadline: NIODeadline, context: ChannelHandlerContext) {
        if let timerFires, timerFires <= deadline { return }
        timer?.cancel()
        timerFires = deadline
        let loopBound = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(deadline: deadline) {
            loopBound.value.handler.checkTimeouts(context: loopBound.value.context)
        }
    }

    /// Closes a connection whose frame is overdue, or that has been idle too long; otherwise
    /// sets the timer for the next deadline.
    private func checkTimeouts(context: ChannelHandlerContext) {
        timer = nil
        timerFires = nil
        guard !closing, context.channel.isActive else { return }
        let now = NIODeadline.now()
        if let started = frameStarted, let frameTimeout, now >= started + frameTimeout {
            closing = true
            logger.notice("closing connection: frame not received in time", metadata: ["held_bytes": "\(heldBytes)"])
            context.answerConnectionFailureAndClose(
                status: .deadlineExceeded,
                message: "a frame did not arrive whole within \(frameTimeout.nanoseconds / 1_000_000) ms of its first bytes")
            return
        }
        if let idleTimeout, inFlight.isEmpty, now >= lastActivity + idleTimeout {
            closing = true
            logger.debug("closing idle connection")
            context.answerConnectionFailureAndClose(
                status: .unavailable,
                message: "closing a connection idle for \(idleTimeout.nanoseconds / 1_000_000) ms; connect again to call")
            return
        }
        var next: NIODeadline?
        if let started = frameStarted, let frameTimeout { next = started + frameTimeout }
        if let idleTimeout {
            let idleDeadline = inFlight.isEmpty ? lastActivity + idleTimeout : now + idleTimeout
            next = next.map { min($0, idleDeadline) } ?? idleDeadline
        }
        if let next { arm(at: next, context: context) }
    }

    /// One frame's call: refused, answered at once, or started.
    private func handle(_ frame: ByteBuffer, context: ChannelHandlerContext) {
        let request: Envelope
        do {
            request = try frame.withUnsafeReadableBytes { try Envelope(protobuf: $0) }
        } catch {
            // The stream cannot be trusted past a frame that is not an Envelope.
            closing = true
            context.answerConnectionFailureAndClose(status: .invalidArgument, message: "\(error)")
            return
        }
        if let refusal = refusal(of: request) {
            write(refusal, context: context)
            return
        }

        // Refusals and synchronous methods are answered here, on the event loop.
        let run: @Sendable () async -> Envelope
        switch router.dispatch(request, from: peer, policy: configuration.access) {
        case .answered(let answer):
            write(answer, context: context)
            return
        case .pending(let pending):
            run = pending
        }

        let callID = request.callID
        let loopBound = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
        let arrival = NIODeadline.now()
        inFlight[callID] = Call(task: nil, deadline: nil)
        let running = self.running
        running.started()
        // Starts on this event loop and runs until the handler first suspends: a call that
        // never suspends is answered here without leaving the loop's thread. A handler that
        // suspends resumes on the global executor and its answer hops back. Handlers must
        // therefore not block before suspending (docs/server.md).
        let task = Task.immediate {
            let response = await run()
            // Counted as running until its answer is written, so a graceful stop waits for it.
            if loopBound.eventLoop.inEventLoop {
                loopBound.value.handler.finish(response, context: loopBound.value.context)
            } else {
                try? await loopBound.eventLoop.submit {
                    loopBound.value.handler.finish(response, context: loopBound.value.context)
                }.get()
            }
            running.finished()
        }
        // A call answered already needs neither its task nor a deadline timer.
        guard inFlight[callID] != nil else { return }
        inFlight[callID]?.task = task
        if let limit = deadline(of: request) {
            inFlight[callID]?.deadline = context.eventLoop.scheduleTask(deadline: arrival + limit) {
                loopBound.value.handler.expire(callID, after: limit, context: loopBound.value.context)
            }
        }
    }

    /// The answer to a request that must not run, or nil when it may.
    private func refusal(of request: Envelope) -> Envelope? {
        guard request.callID != 0 else {
            return .failure(callID: 0, status: .invalidArgument, message: "call_id must be non-zero")
        }
        // Most connections have nothing in flight: skip hashing the id then.
        guard inFlight.isEmpty || inFlight[request.callID] == nil else {
            return .failure(
                callID: request.callID, status: .invalidArgument,
                message: "call id \(request.callID) is already in flight on this connection")
        }
        guard inFlight.count < configuration.maximumCallsInFlightPerConnection else {
            return .failure(
                callID: request.callID, status: .resourceExhausted,
                message: "too many calls in flight on this connection (limit \(configuration.maximumCallsInFlightPerConnection))")
        }
        return nil
    }

    /// The client's timeout capped by the server's maximum call duration; nil for neither.
    private func deadline(of request: Envelope) -> TimeAmount? {
        let maximum = configuration.maximumCallDuration
        let maximumNanoseconds = maximum.components.seconds * 1_000_000_000 + maximum.components.attoseconds / 1_000_000_000
        let requestedNanoseconds = Int64(request.timeoutMs) * 1_000_000
        switch (requestedNanoseconds > 0, maximumNanoseconds > 0) {
        case (false, false): return nil
        case (true, false): return .nanoseconds(requestedNanoseconds)
        case (false, true): return .nanoseconds(maximumNanoseconds)
        case (true, true): return .nanoseconds(min(requestedNanoseconds, maximumNanoseconds))
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        reading = false
        if unflushed {
            unflushed = false
            context.flush()
        }
        context.fireChannelReadComplete()
    }

    func channelInactive(context: ChannelHandlerContext) {
        // Nobody is left to read the answers.
        reading = false
        unflushed = false
        for call in inFlight.values {
            call.task?.cancel()
            call.deadline?.cancel()
        }
        inFlight.removeAll()
        timer?.cancel()
        timer = nil
        release()
        context.fireChannelInactive()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        // Back-pressure: while the client does not read its answers, read none of its calls.
        context.channel.setOption(ChannelOptions.autoRead, value: context.channel.isWritable).whenFailure { _ in }
        context.fireChannelWritabilityChanged()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        logger.debug("closing connection", metadata: ["error": "\(error)"])
        context.close(promise: nil)
    }

    private func finish(_ response: Envelope, context: ChannelHandlerContext) {
        guard let call = inFlight.removeValue(forKey: response.callID) else { return }  // expired
        call.deadline?.cancel()
        write(response, context: context)
    }

    private func expire(_ callID: UInt64, after limit: TimeAmount, context: ChannelHandlerContext) {
        guard let call = inFlight.removeValue(forKey: callID) else { return }
        call.task?.cancel()
        write(
            .failure(callID: callID, status: .deadlineExceeded,
                     message: "the call did not finish within its deadline of \(limit.nanoseconds / 1_000_000) ms"),
            context: context)
    }

    private func write(_ response: Envelope, context: ChannelHandlerContext) {
        if idleTimeout != nil && !reading { lastActivity = .now() }
        var buffer = context.channel.allocator.buffer(capacity: 64 + response.payload.count)
        buffer.writeFrame(response)
        let length = buffer.readableBytes - 4
        if length > configuration.maximumFrameLength {
            logger.error("answer too large", metadata: ["length": "\(length)", "call_id": "\(response.callID)"])
            buffer.clear()
            buffer.writeFrame(.failure(
                callID: response.callID, status: .resourceExhausted,
                message: "the answer of \(length) bytes exceeds the frame limit of \(configuration.maximumFrameLength) bytes"))
        }
        if reading {
            context.write(wrapOutboundOut(buffer), promise: nil)
            unflushed = true
        } else {
            context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
        }
    }
}
