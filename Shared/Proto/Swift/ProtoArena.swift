#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CPosternProto

/// Memory for one encode (the C structs, arrays and field bytes a protobuf-c message points to
/// while it is packed) or one decode (`ScratchAllocator`). Allocations bump through a buffer on
/// the stack and go to the heap only when it is full; all of it is gone when `with` returns.
/// The C structs are plain data, so nothing needs deinitialising.
public struct ProtoArena: ~Copyable {
    /// Bytes of stack per encode: an answer Envelope with a small payload needs no `malloc`.
    static let stackCapacity = 1024
    private static let blockHeader = 16

    private var base: UnsafeMutableRawPointer
    private var used = 0
    private var capacity: Int
    /// Heap blocks, each starting with a pointer to the one before.
    private var heapBlocks: UnsafeMutableRawPointer?

    private init(base: UnsafeMutableRawPointer, capacity: Int) {
        self.base = base
        self.capacity = capacity
    }

    /// Runs `body` with a fresh arena.
    static func with<R>(_ body: (inout ProtoArena) throws -> R) rethrows -> R {
        try withUnsafeTemporaryAllocation(byteCount: stackCapacity, alignment: 16) { buffer in
            var arena = ProtoArena(base: buffer.baseAddress!, capacity: buffer.count)
            return try body(&arena)
        }
    }

    /// Uninitialised memory for `count` values of `type`.
    mutating func allocate<T>(_ type: T.Type, count: Int = 1) -> UnsafeMutablePointer<T> {
        raw(byteCount: MemoryLayout<T>.stride * count, alignment: MemoryLayout<T>.alignment)
            .bindMemory(to: T.self, capacity: count)
    }

    /// Uninitialised bytes.
    mutating func raw(byteCount: Int, alignment: Int) -> UnsafeMutableRawPointer {
        let start = (used + alignment - 1) & ~(alignment - 1)
        if byteCount <= capacity - start {
            used = start + byteCount
            return base + start
        }
        let size = max(byteCount + Self.blockHeader, 4096)
        guard let block = malloc(size) else { fatalError("malloc: out of memory") }
        block.storeBytes(of: heapBlocks, as: UnsafeMutableRawPointer?.self)
        heapBlocks = block
        base = block
        capacity = size
        used = Self.blockHeader + byteCount
        return block + Self.blockHeader
    }

    /// A string field's exact UTF-8 bytes, as protobuf-c's `bytes` (the C schema's type for it).
    mutating func binary(_ string: String) -> ProtobufCBinaryData {
        var string = string
        return string.withUTF8 { copy($0) }
    }

    mutating func binary(_ bytes: [UInt8]) -> ProtobufCBinaryData {
        bytes.withUnsafeBufferPointer { copy($0) }
    }

    private mutating func copy(_ source: UnsafeBufferPointer<UInt8>) -> ProtobufCBinaryData {
        guard let from = source.baseAddress, !source.isEmpty else { return ProtobufCBinaryData(len: 0, data: nil) }
        let destination = raw(byteCount: source.count, alignment: 1)
        destination.copyMemory(from: from, byteCount: source.count)
        return ProtobufCBinaryData(len: source.count, data: destination.assumingMemoryBound(to: UInt8.self))
    }

    deinit {
        var block = heapBlocks
        while let this = block {
            block = this.load(as: UnsafeMutableRawPointer?.self)
            free(this)
        }
    }
}
