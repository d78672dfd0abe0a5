import Logging
import NIOCore
import PosternProtocol

/// One connection's calls: decodes each frame's Envelope, runs the call through the router on
/// Swift concurrency, and writes each answer as soon as it is ready, so calls on one
/// connection may finish out of order. Sits after a `FrameDecoder`.
///
/// Everything here runs on the channel's event loop; only the handlers' work leaves it.
final class RPCServerHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let router: RPCRouter
    private let logger: Logger
    /// Calls whose answer is not written yet, by call id.
    private var inFlight: [UInt64: Task<Void, Never>] = [:]

    init(router: RPCRouter, logger: Logger) {
        self.router = router
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        let request: Envelope
        do {
            request = try frame.withUnsafeReadableBytes { try Envelope(protobuf: $0) }
        } catch {
            // The stream cannot be trusted past a frame that is not an Envelope.
            answerAndClose(context: context, status: .invalidArgument, message: "\(error)")
            return
        }
        guard request.callID != 0 else {
            write(.failure(callID: 0, status: .invalidArgument, message: "call_id must be non-zero"), context: context)
            return
        }
        guard inFlight[request.callID] == nil else {
            write(
                .failure(callID: request.callID, status: .invalidArgument,
                         message: "call id \(request.callID) is already in flight on this connection"),
                context: context)
            return
        }

        let router = self.router
        let loopBound = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
        inFlight[request.callID] = Task {
            let response = await router.handle(request)
            loopBound.eventLoop.execute {
                loopBound.value.handler.finish(response, context: loopBound.value.context)
            }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        // Nobody is left to read the answers.
        for task in inFlight.values { task.cancel() }
        inFlight.removeAll()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        if let tooLarge = error as? FrameTooLargeError {
            logger.notice("closing connection: oversized frame", metadata: ["length": "\(tooLarge.length)"])
            answerAndClose(context: context, status: .resourceExhausted, message: tooLarge.description)
        } else {
            logger.debug("closing connection", metadata: ["error": "\(error)"])
            context.close(promise: nil)
        }
    }

    private func finish(_ response: Envelope, context: ChannelHandlerContext) {
        guard inFlight.removeValue(forKey: response.callID) != nil else { return }
        write(response, context: context)
    }

    private func write(_ response: Envelope, context: ChannelHandlerContext) {
        var buffer = context.channel.allocator.buffer(capacity: 64 + response.payload.count)
        buffer.writeFrame(response)
        context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
    }

    /// A connection-level failure: one answer with call id 0, then close once it is written.
    private func answerAndClose(context: ChannelHandlerContext, status: StatusCode, message: String) {
        var buffer = context.channel.allocator.buffer(capacity: 64 + message.utf8.count)
        buffer.writeFrame(.failure(callID: 0, status: status, message: message))
        context.writeAndFlush(wrapOutboundOut(buffer)).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }
}
