import CPosternProto

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension Envelope: ProtoMessage {
    /// Decodes one Envelope from exactly `bytes` (a frame's body).
    public init(protobuf bytes: UnsafeRawBufferPointer) throws(ProtoDecodingError) {
        let name = Self.protoName
        self = try ProtobufCBridge.unpack(
            bytes, as: name,
            unpack: postern__wire__v1__envelope__unpack,
            free: postern__wire__v1__envelope__free_unpacked
        ) { (c: borrowing Postern__Wire__V1__Envelope) throws(ProtoDecodingError) in
            var metadata: [Metadata] = []
            metadata.reserveCapacity(c.n_metadata)
            for index in 0..<c.n_metadata {
                guard let entry = c.metadata[index] else { continue }
                metadata.append(Metadata(
                    key: try ProtobufCBridge.string(entry.pointee.key, named: "metadata key", in: name),
                    value: try ProtobufCBridge.string(entry.pointee.value, named: "metadata value", in: name)))
            }
            return Envelope(
                callID: c.call_id,
                method: try ProtobufCBridge.string(c.method, named: "method", in: name),
                timeoutMilliseconds: c.timeout_ms,
                metadata: metadata,
                payload: ProtobufCBridge.bytes(c.payload),
                status: StatusCode(rawValue: c.status_code),
                statusMessage: try ProtobufCBridge.string(c.status_message, named: "status_message", in: name))
        }
    }

    /// Encodes the Envelope without an intermediate copy: `body` is given the encoded size and
    /// a function that packs the Envelope into memory of at least that size (a ByteBuffer's
    /// writable bytes, say) and returns the bytes written.
    public func encode<R>(
        _ body: (_ size: Int, _ pack: (UnsafeMutableRawPointer) -> Int) throws -> R
    ) rethrows -> R {
        var strings = CStringArena()
        // No metadata (every answer, most requests): nothing to allocate.
        let entries: UnsafeMutableBufferPointer<Postern__Wire__V1__MetadataEntry>? =
            metadata.isEmpty ? nil : .allocate(capacity: metadata.count)
        let entryPointers: UnsafeMutableBufferPointer<UnsafeMutablePointer<Postern__Wire__V1__MetadataEntry>?>? =
            metadata.isEmpty ? nil : .allocate(capacity: metadata.count)
        defer {
            entries?.deallocate()
            entryPointers?.deallocate()
        }
        if let entries, let entryPointers {
            for (index, pair) in metadata.enumerated() {
                let entry = entries.baseAddress! + index
                postern__wire__v1__metadata_entry__init(entry)
                entry.pointee.key = strings.copy(pair.key)
                entry.pointee.value = strings.copy(pair.value)
                entryPointers[index] = entry
            }
        }

        var c = Postern__Wire__V1__Envelope()
        postern__wire__v1__envelope__init(&c)
        c.call_id = callID
        c.method = strings.copy(method)
        c.timeout_ms = timeoutMilliseconds
        c.n_metadata = metadata.count
        c.metadata = entryPointers?.baseAddress
        c.status_code = status.rawValue
        c.status_message = strings.copy(statusMessage)

        return try payload.withUnsafeBufferPointer { payloadBytes in
            c.payload = ProtobufCBinaryData(
                len: payloadBytes.count,
                data: payloadBytes.count > 0 ? UnsafeMutablePointer(mutating: payloadBytes.baseAddress) : nil)
            return try withUnsafePointer(to: &c) { envelope in
                let size = postern__wire__v1__envelope__get_packed_size(envelope)
                return try body(size) { destination in
                    postern__wire__v1__envelope__pack(envelope, destination.assumingMemoryBound(to: UInt8.self))
                }
            }
        }
    }

    /// The Envelope's protobuf encoding.
    public func protobuf() -> [UInt8] {
        encode { size, pack in
            [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
                initialized = size == 0 ? 0 : pack(UnsafeMutableRawPointer(buffer.baseAddress!))
            }
        }
    }
}
