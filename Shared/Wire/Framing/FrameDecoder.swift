import PosternRPC
import NIOCore

/// Splits the inbound byte stream into frame bodies: a 4-byte big-endian length, then that
/// many bytes (one encoded Envelope).
///
/// The length is checked against `maximumFrameLength` as soon as the 4 header bytes are in,
/// before the decoder waits for (or keeps) any byte of the body: an oversized frame throws
/// `FrameTooLargeError` at once, and the connection's handler answers and closes.
///
/// Both kinds of NIO decoder: a `ByteToMessageHandler` in its own pipeline stage (the
/// client), or a `NIOSingleStepByteToMessageProcessor` inside a handler (the server, which
/// saves a pipeline hop per call).
public struct FrameDecoder: ByteToMessageDecoder, NIOSingleStepByteToMessageDecoder {
    public typealias InboundOut = ByteBuffer

    /// The default limit on a frame body: 1 MiB.
    public static let defaultMaximumFrameLength = 1 << 20

    public let maximumFrameLength: Int

    public init(maximumFrameLength: Int = FrameDecoder.defaultMaximumFrameLength) {
        precondition(maximumFrameLength >= 0 && maximumFrameLength <= Int(UInt32.max))
        self.maximumFrameLength = maximumFrameLength
    }

    /// The next whole frame's body, nil until all of it is in.
    public mutating func decode(buffer: inout ByteBuffer) throws -> ByteBuffer? {
        guard let length = buffer.getInteger(at: buffer.readerIndex, as: UInt32.self) else {
            return nil
        }
        guard Int(length) <= maximumFrameLength else {
            throw FrameTooLargeError(length: Int(length), limit: maximumFrameLength)
        }
        guard buffer.readableBytes >= 4 + Int(length) else {
            return nil
        }
        buffer.moveReaderIndex(forwardBy: 4)
        return buffer.readSlice(length: Int(length))!
    }

    public mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> ByteBuffer? {
        if let frame = try decode(buffer: &buffer) { return frame }
        // A peer that hangs up mid-frame leaves bytes that are not a call: drop them.
        buffer.moveReaderIndex(to: buffer.writerIndex)
        return nil
    }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let frame = try decode(buffer: &buffer) else { return .needMoreData }
        context.fireChannelRead(Self.wrapInboundOut(frame))
        return .continue
    }

    public mutating func decodeLast(
        context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool
    ) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        // A peer that hangs up mid-frame leaves bytes that are not a call: drop them.
        buffer.moveReaderIndex(to: buffer.writerIndex)
        return .needMoreData
    }
}

/// A frame announced a body longer than the limit.
public struct FrameTooLargeError: Error, Equatable, Sendable, CustomStringConvertible {
    public let length: Int
    public let limit: Int

    public init(length: Int, limit: Int) {
        self.length = length
        self.limit = limit
    }

    public var description: String {
        "frame of \(length) bytes exceeds the limit of \(limit) bytes"
    }
}
