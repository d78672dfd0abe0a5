// postern-bench-nio-floor PATH ANSWER_HEX — `scripts/bench wire`'s second reference server.
//
// SwiftNIO with nothing of Postern's but the framing: the same event loops, channel options
// and frame splitting as the daemon's server, answering every frame with fixed bytes and
// flushing at the end of each read. What it costs is what NIO costs on this machine before
// any Envelope is decoded, routed or encoded; the daemon's distance from it is Postern's own.
import NIOCore
import NIOPosix
import PosternRPC
import PosternWire

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

final class CannedAnswerHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let answer: [UInt8]
    private let frames = NIOSingleStepByteToMessageProcessor(FrameDecoder())
    private var unflushed = false

    init(answer: [UInt8]) { self.answer = answer }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        do {
            try frames.process(buffer: unwrapInboundIn(data)) { _ in
                var buffer = context.channel.allocator.buffer(capacity: answer.count)
                buffer.writeBytes(answer)
                context.write(wrapOutboundOut(buffer), promise: nil)
                unflushed = true
            }
        } catch {
            context.close(promise: nil)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if unflushed {
            unflushed = false
            context.flush()
        }
    }
}

func fail(_ message: String) -> Never {
    let bytes = Array("postern-bench-nio-floor: \(message)\n".utf8)
    _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    exit(2)
}

let arguments = CommandLine.arguments
guard arguments.count == 3, arguments[2].count % 2 == 0 else {
    fail("usage: postern-bench-nio-floor PATH ANSWER_HEX")
}
let path = arguments[1]
var answer: [UInt8] = []
var hex = Substring(arguments[2])
while !hex.isEmpty {
    guard let byte = UInt8(hex.prefix(2), radix: 16) else {
        fail("ANSWER_HEX is not hexadecimal")
    }
    answer.append(byte)
    hex = hex.dropFirst(2)
}
let cannedAnswer = answer

unlink(path)
let channel = try await RPCServer.withSocketOptions(ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton))
    .childChannelInitializer { channel in
        channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(CannedAnswerHandler(answer: cannedAnswer))
        }
    }
    .bind(unixDomainSocketPath: path)
    .get()
try await channel.closeFuture.get()
