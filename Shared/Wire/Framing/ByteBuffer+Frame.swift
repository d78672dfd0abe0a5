import PosternRPC
import NIOCore
import PosternProtocol

extension ByteBuffer {
    /// Appends one frame: the Envelope's encoded length, big-endian, then the Envelope.
    /// The Envelope is packed straight into the buffer.
    public mutating func writeFrame(_ envelope: Envelope) {
        envelope.encode { size, pack in
            reserveCapacity(minimumWritableBytes: 4 + size)
            writeInteger(UInt32(truncatingIfNeeded: size))
            _ = writeWithUnsafeMutableBytes(minimumWritableBytes: size) { destination in
                size == 0 ? 0 : pack(destination.baseAddress!)
            }
        }
    }
}
