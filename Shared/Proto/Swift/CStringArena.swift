#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// NUL-terminated copies of Swift strings that live as long as the arena: protobuf-c's
/// structs hold `char *`, and these must outlast the pack call that reads them.
///
/// Encoding runs once per call on the server's hot path, so the arena allocates as little as
/// it can: nothing for empty strings (they point at one shared empty C string, which
/// protobuf-c treats as the field's default), and one block for the others unless they are
/// long. The arena itself lives on the stack.
struct CStringArena: ~Copyable {
    private static let blockSize = 512

    /// The newest block; each block starts with a pointer to the one before it, so freeing
    /// them needs no separate list.
    private var current: UnsafeMutableRawPointer?
    private static let header = MemoryLayout<UnsafeMutableRawPointer?>.stride
    private var used = 0
    private var capacity = 0

    init() {}

    mutating func copy(_ string: String) -> UnsafeMutablePointer<CChar> {
        var string = string
        return string.withUTF8 { utf8 in
            guard !utf8.isEmpty else { return Self.emptyString }
            let needed = utf8.count + 1
            if current == nil || capacity - used < needed {
                let size = max(needed + Self.header, Self.blockSize)
                guard let block = malloc(size) else { fatalError("malloc: out of memory") }
                block.storeBytes(of: current, as: UnsafeMutableRawPointer?.self)
                current = block
                used = Self.header
                capacity = size
            }
            let destination = current! + used
            destination.copyMemory(from: utf8.baseAddress!, byteCount: utf8.count)
            destination.storeBytes(of: 0, toByteOffset: utf8.count, as: UInt8.self)
            used += needed
            return destination.assumingMemoryBound(to: CChar.self)
        }
    }

    /// One NUL byte, never written to and never freed.
    nonisolated(unsafe) private static let emptyString: UnsafeMutablePointer<CChar> = {
        let pointer = UnsafeMutablePointer<CChar>.allocate(capacity: 1)
        pointer.initialize(to: 0)
        return pointer
    }()

    deinit {
        var block = current
        while let this = block {
            block = this.load(as: UnsafeMutableRawPointer?.self)
            free(this)
        }
    }
}
