import CPosternProto

/// A protobuf-c allocator for one unpack and its free, over a `ProtoArena`: allocations bump
/// through a stack buffer and go to the heap once it is full, frees do nothing, and all of it
/// is released when `with` returns. Nothing decoded may point into it afterwards (decoders
/// copy into Swift values first), and decoding a small message costs no `malloc`.
enum ScratchAllocator {
    static func with<R>(_ body: (UnsafeMutablePointer<ProtobufCAllocator>) -> R) -> R {
        ProtoArena.with { arena in
            withUnsafeMutablePointer(to: &arena) { arenaPointer in
                var allocator = ProtobufCAllocator(
                    alloc: { data, size in
                        data!.assumingMemoryBound(to: ProtoArena.self).pointee.raw(byteCount: size, alignment: 16)
                    },
                    free: { _, _ in },
                    allocator_data: UnsafeMutableRawPointer(arenaPointer))
                return withUnsafeMutablePointer(to: &allocator) { body($0) }
            }
        }
    }
}
