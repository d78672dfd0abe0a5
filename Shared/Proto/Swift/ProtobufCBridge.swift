import CPosternProto
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the generated message types call to move between Swift values and protobuf-c's C
/// structs. Each message passes its generated `…__unpack`, `…__free_unpacked`,
/// `…__get_packed_size` and `…__pack` functions (never a descriptor address from Swift: a
/// release build may hand Swift a copy of the descriptor, and protobuf-c compares addresses).
///
/// Every `string` field reaches C as `bytes` (the C code is generated from a schema in which
/// they are), so its exact length survives and a NUL byte cannot cut it short.
public enum ProtobufCBridge {
    typealias Unpack<C> = (UnsafeMutablePointer<ProtobufCAllocator>?, Int, UnsafePointer<UInt8>?) -> UnsafeMutablePointer<C>?
    typealias Free<C> = (UnsafeMutablePointer<C>?, UnsafeMutablePointer<ProtobufCAllocator>?) -> Void

    /// Unpacks `bytes` with protobuf-c into `ScratchAllocator`'s memory and hands the C struct
    /// to `read`, then frees it.
    static func unpack<C, R>(
        _ bytes: UnsafeRawBufferPointer,
        as messageType: String,
        unpack: Unpack<C>,
        free: Free<C>,
        read: (borrowing C) throws(ProtoDecodingError) -> R
    ) throws(ProtoDecodingError) -> R {
        let result: Result<R, ProtoDecodingError> = ScratchAllocator.with { allocator in
            var empty: UInt8 = 0
            let message: UnsafeMutablePointer<C>? =
                if let base = bytes.baseAddress, bytes.count > 0 {
                    unpack(allocator, bytes.count, base.assumingMemoryBound(to: UInt8.self))
                } else {
                    unpack(allocator, 0, &empty)
                }
            guard let message else {
                return .failure(ProtoDecodingError(messageType: messageType, problem: "not valid protobuf"))
            }
            defer { free(message, allocator) }
            return Result { () throws(ProtoDecodingError) in try read(message.pointee) }
        }
        return try result.get()
    }

    /// A new byte array of exactly `size` bytes that `pack` fills.
    static func bytes(size: Int, pack: (UnsafeMutableRawPointer) -> Int) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            initialized = size == 0 ? 0 : pack(UnsafeMutableRawPointer(buffer.baseAddress!))
        }
    }

    // MARK: Decoding fields

    /// A string field from its exact bytes: refused if they hold a NUL or are not UTF-8.
    static func string(_ field: ProtobufCBinaryData, field name: @autoclosure () -> String, in message: String) throws(ProtoDecodingError) -> String {
        guard field.len > 0, let data = field.data else { return "" }
        let bytes = UnsafeBufferPointer(start: data, count: field.len)
        if bytes.contains(0) { throw ProtoDecodingError(messageType: message, problem: "\(name()) contains a NUL byte") }
        // `String(decoding:)` replaces what is not UTF-8 (and, unlike `String(validating:)`, is
        // specialized for bytes): valid input comes back byte for byte, invalid input does not.
        let value = String(decoding: bytes, as: UTF8.self)
        // Compared as memory (a native string's bytes are contiguous), not byte by byte
        // through the generic sequence: a 64 KiB policy context costs microseconds less.
        let same =
            value.utf8.count == bytes.count
            && (value.utf8.withContiguousStorageIfAvailable { memcmp($0.baseAddress!, data, bytes.count) == 0 }
                ?? value.utf8.elementsEqual(bytes))
        guard same else {
            throw ProtoDecodingError(messageType: message, problem: "\(name()) is not valid UTF-8")
        }
        return value
    }

    /// A bytes field as a Swift array.
    static func bytes(_ field: ProtobufCBinaryData) -> [UInt8] {
        guard field.len > 0, let data = field.data else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: field.len))
    }

    /// An enum field: refused if the schema does not list its value.
    static func enumeration<E: ProtoEnum>(_ raw: UInt32, field name: @autoclosure () -> String, in message: String) throws(ProtoDecodingError) -> E {
        guard let value = E(rawValue: Int32(bitPattern: raw)) else {
            throw ProtoDecodingError(
                messageType: message, problem: "\(name()) is \(Int32(bitPattern: raw)), which \(E.protoName) does not list")
        }
        return value
    }
}
