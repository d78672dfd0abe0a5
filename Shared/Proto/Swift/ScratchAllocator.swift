import CPosternProto

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A protobuf-c allocator over a stack buffer, for one unpack and its free: allocations bump
/// through the buffer (16-byte aligned) and go to the heap once it is full; frees of buffer
/// memory do nothing, heap ones are freed. The buffer goes when `with` returns, so nothing
/// decoded may point into it afterwards (decoders copy into Swift values first).
enum ScratchAllocator {
    /// Bytes of stack per unpack: an Envelope with its method name and a small payload fits.
    static let capacity = 1024

    private struct Arena {
        let base: UnsafeMutableRawPointer
        let capacity: Int
        var used = 0

        func owns(_ pointer: UnsafeMutableRawPointer) -> Bool {
            pointer >= base && pointer < base + capacity
        }
    }

    static func with<R>(_ body: (UnsafeMutablePointer<ProtobufCAllocator>) -> R) -> R {
        withUnsafeTemporaryAllocation(byteCount: capacity, alignment: 16) { buffer in
            var arena = Arena(base: buffer.baseAddress!, capacity: buffer.count)
            return withUnsafeMutablePointer(to: &arena) { arenaPointer in
                var allocator = ProtobufCAllocator(
                    alloc: { data, size in
                        let arena = data!.assumingMemoryBound(to: Arena.self)
                        let start = (arena.pointee.used + 15) & ~15
                        guard size <= arena.pointee.capacity - start else { return malloc(size) }
                        arena.pointee.used = start + size
                        return arena.pointee.base + start
                    },
                    free: { data, pointer in
                        guard let pointer else { return }
                        let arena = data!.assumingMemoryBound(to: Arena.self)
                        if !arena.pointee.owns(pointer) { releaseToHeap(pointer) }
                    },
                    allocator_data: UnsafeMutableRawPointer(arenaPointer))
                return withUnsafeMutablePointer(to: &allocator) { body($0) }
            }
        }
    }
}

/// libc's `free`, by a name no protobuf-c parameter shadows.
private func releaseToHeap(_ pointer: UnsafeMutableRawPointer) {
    free(pointer)
}
