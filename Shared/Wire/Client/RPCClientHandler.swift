import PosternRPC
import NIOCore
import PosternProtocol

/// What an `RPCClient` asks its connection to do.
enum RPCClientCommand: Sendable {
    /// Send `request` and complete `promise` with its answer, or with DEADLINE_EXCEEDED after
    /// `timeout`.
    case call(request: Envelope, timeout: TimeAmount?, promise: EventLoopPromise<Envelope>)
    /// The caller stopped waiting for call `callID`.
    case cancel(callID: UInt64)
}

/// The client side of one connection: matches answers to calls by call id, so many calls
/// can be in flight at once and answered in any order. Sits after a `FrameDecoder`.
final class RPCClientHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = RPCClientCommand
    typealias OutboundOut = ByteBuffer

    private struct Pending {
        var promise: EventLoopPromise<Envelope>
        var timeout: Scheduled<Void>?
    }

    private let socketPath: String
    private var pending: [UInt64: Pending] = [:]
    /// Set once the connection can no longer carry calls; new calls fail with it at once.
    private var closedBecause: RPCError?

    init(socketPath: String) {
        self.socketPath = socketPath
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case let .call(request, timeout, answer):
            if let closedBecause {
                answer.fail(closedBecause)
                promise?.fail(closedBecause)
                return
            }
            let callID = request.callID
            var entry = Pending(promise: answer, timeout: nil)
            if let timeout {
                let loopBound = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
                entry.timeout = context.eventLoop.scheduleTask(in: timeout) {
                    loopBound.value.handler.fail(
                        callID, with: RPCError(code: .deadlineExceeded, message: "no answer within \(timeout)"))
                }
            }
            pending[callID] = entry
            var buffer = context.channel.allocator.buffer(capacity: 64 + request.payload.count)
            buffer.writeFrame(request)
            context.write(wrapOutboundOut(buffer), promise: promise)
        case let .cancel(callID):
            fail(callID, with: RPCError(code: .cancelled, message: "the caller cancelled the call"))
            promise?.succeed()
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        let answer: Envelope
        do {
            answer = try frame.withUnsafeReadableBytes { try Envelope(protobuf: $0) }
        } catch {
            closeAll(RPCError(code: .internal, message: "the daemon at \(socketPath) sent an undecodable answer: \(error)"))
            context.close(promise: nil)
            return
        }
        if answer.callID == 0 {
            // A connection-level status: the daemon closes the connection after it.
            closeAll(RPCError(code: answer.status, message: answer.statusMessage))
            return
        }
        guard let entry = pending.removeValue(forKey: answer.callID) else { return }  // late: timed out or cancelled
        entry.timeout?.cancel()
        entry.promise.succeed(answer)
    }

    func channelInactive(context: ChannelHandlerContext) {
        closeAll(RPCError(code: .unavailable, message: "the connection to \(socketPath) closed"))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        closeAll(RPCError(code: .unavailable, message: "the connection to \(socketPath) failed: \(error)"))
        context.close(promise: nil)
    }

    private func fail(_ callID: UInt64, with error: RPCError) {
        guard let entry = pending.removeValue(forKey: callID) else { return }
        entry.timeout?.cancel()
        entry.promise.fail(error)
    }

    private func closeAll(_ error: RPCError) {
        if closedBecause == nil { closedBecause = error }
        let failed = pending
        pending.removeAll()
        for entry in failed.values {
            entry.timeout?.cancel()
            entry.promise.fail(error)
        }
    }
}
