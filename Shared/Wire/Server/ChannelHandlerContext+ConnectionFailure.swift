import PosternRPC
import NIOCore
import PosternProtocol

extension ChannelHandlerContext {
    /// A connection-level failure (docs/wire.md): one answer with call id 0 carrying `status`
    /// and `message`, then the connection closes once it is written.
    func answerConnectionFailureAndClose(status: StatusCode, message: String) {
        var buffer = channel.allocator.buffer(capacity: 64 + message.utf8.count)
        buffer.writeFrame(.failure(callID: 0, status: status, message: message))
        writeAndFlush(NIOAny(buffer)).assumeIsolated().whenComplete { [self] _ in
            close(promise: nil)
        }
    }
}
