import PosternRPC
import NIOCore
import PosternProtocol

/// Answers a connection the server will not serve with one connection-level status
/// (call id 0), then closes it without reading anything.
final class RefuseConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let status: StatusCode
    private let message: String

    init(status: StatusCode, message: String) {
        self.status = status
        self.message = message
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { refuse(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        refuse(context: context)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}

    private func refuse(context: ChannelHandlerContext) {
        context.answerConnectionFailureAndClose(status: status, message: message)
    }
}
