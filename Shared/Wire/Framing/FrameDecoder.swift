import NIOCore

/// Splits the inbound byte stream into frame bodies: a 4-byte big-endian length, then that
/// many bytes (one encoded Envelope).
///
/// The length is checked against `maximumFrameLength` as soon as the 4 header bytes are in,
/// before the decoder waits for (or keeps) any byte of the body: an oversized frame throws
/// `FrameTooLargeError` at once, and the connection's handler answers and closes.
public struct FrameDecoder: ByteToMessageDecoder {
    public typealias InboundOut = ByteBuffer

    /// The default limit on a frame body: 1 MiB.
    public static let defaultMaximumFrameLength = 1 << 20

    public let maximumFrameLength: Int

    public init(maximumFrameLength: Int = FrameDecoder.defaultMaximumFrameLength) {
        precondition(maximumFrameLength >= 0 && maximumFrameLength <= Int(UInt32.max))
        self.maximumFrameLength = maximumFrameLength
    }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let length = buffer.getInteger(at: buffer.readerIndex, as: UInt32.self) else {
            return .needMoreData
        }
        guard Int(length) <= maximumFrameLength else {
            throw FrameTooLargeError(length: Int(length), limit: maximumFrameLength)
        }
        guard buffer.readableBytes >= 4 + Int(length) else {
            return .needMoreData
        }
        buffer.moveReaderIndex(forwardBy: 4)
        context.fireChannelRead(Self.wrapInboundOut(buffer.readSlice(length: Int(length))!))
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
