import CPosternProto

/// The two halves every protobuf-c message shares: unpack into a C struct that is freed when
/// the caller is done reading it, and pack a C struct into fresh bytes. Each message type
/// passes its generated `…__unpack`, `…__free_unpacked`, `…__get_packed_size` and `…__pack`
/// functions (platform-notes: never a descriptor address from Swift).
enum ProtobufCBridge {
    typealias Unpack<C> = (UnsafeMutablePointer<ProtobufCAllocator>?, Int, UnsafePointer<UInt8>?) -> UnsafeMutablePointer<C>?
    typealias Free<C> = (UnsafeMutablePointer<C>?, UnsafeMutablePointer<ProtobufCAllocator>?) -> Void

    /// Unpacks `bytes` with protobuf-c and hands the C struct to `read`, then frees it.
    ///
    /// protobuf-c allocates the struct and each string and bytes field separately; those
    /// allocations come from a stack buffer (`ScratchAllocator`) and fall back to the heap only
    /// for a message that does not fit, so decoding a small message costs no `malloc`.
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

    /// Packs `message` into a new byte array of exactly its encoded size.
    static func pack<C>(
        _ message: inout C,
        size: (UnsafePointer<C>?) -> Int,
        pack: (UnsafePointer<C>?, UnsafeMutablePointer<UInt8>?) -> Int
    ) -> [UInt8] {
        withUnsafePointer(to: &message) { pointer in
            let count = size(pointer)
            return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
                initialized = pack(pointer, buffer.baseAddress)
            }
        }
    }

    /// Packs the message `pointer` points to into a new byte array of exactly its encoded size.
    static func packPointer<C>(
        _ pointer: UnsafePointer<C>,
        size: (UnsafePointer<C>?) -> Int,
        pack: (UnsafePointer<C>?, UnsafeMutablePointer<UInt8>?) -> Int
    ) -> [UInt8] {
        let count = size(pointer)
        return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            initialized = pack(pointer, buffer.baseAddress)
        }
    }

    /// Lays `elements` out as protobuf-c's repeated message field — an array of C structs and
    /// an array of pointers to them — for the duration of `body`, which gets the pointer array
    /// (nil when empty) and the count. `fill` initialises each struct; strings go in `strings`.
    static func withRepeated<Element, C, R>(
        _ elements: [Element],
        strings: inout CStringArena,
        fill: (Element, UnsafeMutablePointer<C>, inout CStringArena) -> Void,
        _ body: (UnsafeMutablePointer<UnsafeMutablePointer<C>?>?, Int) -> R
    ) -> R {
        guard !elements.isEmpty else { return body(nil, 0) }
        let structs = UnsafeMutableBufferPointer<C>.allocate(capacity: elements.count)
        let pointers = UnsafeMutableBufferPointer<UnsafeMutablePointer<C>?>.allocate(capacity: elements.count)
        defer {
            structs.deallocate()
            pointers.deallocate()
        }
        for (index, element) in elements.enumerated() {
            let entry = structs.baseAddress! + index
            fill(element, entry, &strings)
            pointers[index] = entry
        }
        return body(pointers.baseAddress, elements.count)
    }

    /// A C string field as a Swift string; `nil` when its bytes are not valid UTF-8.
    static func string(_ field: UnsafeMutablePointer<CChar>?) -> String? {
        guard let field else { return "" }
        return String(validatingCString: field)
    }

    /// A C string field as a Swift string, or the decoding error naming the field.
    static func string(
        _ field: UnsafeMutablePointer<CChar>?, named name: String, in messageType: String
    ) throws(ProtoDecodingError) -> String {
        guard let value = string(field) else {
            throw ProtoDecodingError(messageType: messageType, problem: "\(name) is not valid UTF-8")
        }
        return value
    }

    /// A bytes field as a Swift array.
    static func bytes(_ field: ProtobufCBinaryData) -> [UInt8] {
        guard field.len > 0, let data = field.data else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: field.len))
    }
}
