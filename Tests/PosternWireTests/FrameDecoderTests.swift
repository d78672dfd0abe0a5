import NIOCore
import NIOEmbedded
import NIOTestUtils
import PosternProtocol
import PosternRPC
import PosternWire
import Testing

@Suite struct FrameDecoderTests {
    private func frame(_ body: [UInt8]) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeInteger(UInt32(body.count))
        buffer.writeBytes(body)
        return buffer
    }

    /// NIO's verifier feeds each input whole, byte by byte, and coalesced with the others.
    @Test func verifierAcceptsSplitAndCoalescedFrames() throws {
        let bodies: [[UInt8]] = [[], [1], Array(0..<200), Array(repeating: 0xAB, count: 3_000)]
        try ByteToMessageDecoderVerifier.verifyDecoder(
            inputOutputPairs: bodies.map { (frame($0), [ByteBuffer(bytes: $0)]) },
            decoderFactory: { FrameDecoder() })
    }

    @Test func coalescedFramesInOneReadAllComeOut() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(FrameDecoder()))
        var both = frame([1, 2, 3])
        var second = frame([4])
        both.writeBuffer(&second)
        try channel.writeInbound(both)
        #expect(try channel.readInbound(as: ByteBuffer.self) == ByteBuffer(bytes: [1, 2, 3]))
        #expect(try channel.readInbound(as: ByteBuffer.self) == ByteBuffer(bytes: [4]))
        #expect(try channel.readInbound(as: ByteBuffer.self) == nil)
        _ = try channel.finish()
    }

    /// The header alone, announcing 4 GiB − 1, is refused: nothing waits for the body.
    @Test func oversizedLengthIsRefusedFromTheHeaderAlone() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(FrameDecoder(maximumFrameLength: 1024)))
        var header = ByteBuffer()
        header.writeInteger(UInt32.max)
        #expect(throws: FrameTooLargeError(length: Int(UInt32.max), limit: 1024)) {
            try channel.writeInbound(header)
        }
        #expect(try channel.readInbound(as: ByteBuffer.self) == nil)
        _ = try? channel.finish()
    }

    @Test func lengthAtTheLimitIsAcceptedOneMoreIsNot() throws {
        let atLimit = EmbeddedChannel(handler: ByteToMessageHandler(FrameDecoder(maximumFrameLength: 16)))
        try atLimit.writeInbound(frame(Array(repeating: 1, count: 16)))
        #expect(try atLimit.readInbound(as: ByteBuffer.self)?.readableBytes == 16)
        _ = try atLimit.finish()

        let overLimit = EmbeddedChannel(handler: ByteToMessageHandler(FrameDecoder(maximumFrameLength: 16)))
        #expect(throws: FrameTooLargeError(length: 17, limit: 16)) {
            try overLimit.writeInbound(frame(Array(repeating: 1, count: 17)))
        }
        _ = try? overLimit.finish()
    }

    @Test func defaultLimitIsOneMebibyte() {
        #expect(FrameDecoder().maximumFrameLength == 1_048_576)
    }

    @Test func writeFrameThenDecodeGivesTheEnvelopeBack() throws {
        let envelope = Envelope.request(callID: 42, method: "/postern.health.v1.Health/Check", payload: [1, 2])
        var buffer = ByteBuffer()
        buffer.writeFrame(envelope)
        #expect(buffer.getInteger(at: 0, as: UInt32.self) == UInt32(buffer.readableBytes - 4))

        let channel = EmbeddedChannel(handler: ByteToMessageHandler(FrameDecoder()))
        try channel.writeInbound(buffer)
        let body = try #require(try channel.readInbound(as: ByteBuffer.self))
        #expect(try Envelope(protobuf: Array(body.readableBytesView)) == envelope)
        _ = try channel.finish()
    }
}
