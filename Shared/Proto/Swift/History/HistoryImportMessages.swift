import CPosternProto

/// `postern.history.v1.ImportLegacyRequest`: authentik's history entries (Django hashes). Its
/// description never shows a hash.
public struct ImportLegacyRequest: ProtoMessage, Equatable, CustomStringConvertible {
    /// `postern.history.v1.LegacyEntry`.
    public struct Entry: Equatable, Sendable {
        public var userID: String
        public var encoded: String
        public var createdUnixMilliseconds: Int64

        public init(userID: String, encoded: String, createdUnixMilliseconds: Int64) {
            self.userID = userID
            self.encoded = encoded
            self.createdUnixMilliseconds = createdUnixMilliseconds
        }
    }

    public var entries: [Entry]
    public var validateOnly: Bool

    public static let protoName = "postern.history.v1.ImportLegacyRequest"

    public init(entries: [Entry], validateOnly: Bool = false) {
        self.entries = entries
        self.validateOnly = validateOnly
    }

    public var description: String { "ImportLegacyRequest(\(entries.count) entries, validate_only: \(validateOnly))" }

    public init(protobuf bytes: UnsafeRawBufferPointer) throws(ProtoDecodingError) {
        let name = Self.protoName
        self = try ProtobufCBridge.unpack(
            bytes, as: name,
            unpack: postern__history__v1__import_legacy_request__unpack,
            free: postern__history__v1__import_legacy_request__free_unpacked
        ) { (c: borrowing Postern__History__V1__ImportLegacyRequest) throws(ProtoDecodingError) in
            var entries: [Entry] = []
            entries.reserveCapacity(c.n_entries)
            for index in 0..<c.n_entries {
                guard let entry = c.entries[index] else { continue }
                entries.append(Entry(
                    userID: try ProtobufCBridge.string(entry.pointee.user_id, named: "entries.user_id", in: name),
                    encoded: try ProtobufCBridge.string(entry.pointee.encoded, named: "entries.encoded", in: name),
                    createdUnixMilliseconds: entry.pointee.created_unix_ms))
            }
            return ImportLegacyRequest(entries: entries, validateOnly: c.validate_only != 0)
        }
    }

    public func protobuf() -> [UInt8] {
        var strings = CStringArena()
        var c = Postern__History__V1__ImportLegacyRequest()
        postern__history__v1__import_legacy_request__init(&c)
        c.validate_only = validateOnly ? 1 : 0
        return ProtobufCBridge.withRepeated(entries, strings: &strings, fill: { entry, c, strings in
            postern__history__v1__legacy_entry__init(c)
            c.pointee.user_id = strings.copy(entry.userID)
            c.pointee.encoded = strings.copy(entry.encoded)
            c.pointee.created_unix_ms = entry.createdUnixMilliseconds
        }) { pointers, count in
            c.n_entries = count
            c.entries = pointers
            return ProtobufCBridge.pack(
                &c, size: postern__history__v1__import_legacy_request__get_packed_size,
                pack: postern__history__v1__import_legacy_request__pack)
        }
    }
}

/// `postern.history.v1.ImportLegacyResponse`.
public struct ImportLegacyResponse: ProtoMessage, Equatable {
    public var imported: UInt64
    public var skipped: UInt64
    public static let protoName = "postern.history.v1.ImportLegacyResponse"

    public init(imported: UInt64, skipped: UInt64) {
        self.imported = imported
        self.skipped = skipped
    }

    public init(protobuf bytes: UnsafeRawBufferPointer) throws(ProtoDecodingError) {
        self = try ProtobufCBridge.unpack(
            bytes, as: Self.protoName,
            unpack: postern__history__v1__import_legacy_response__unpack,
            free: postern__history__v1__import_legacy_response__free_unpacked
        ) { (c: borrowing Postern__History__V1__ImportLegacyResponse) throws(ProtoDecodingError) in
            ImportLegacyResponse(imported: c.imported, skipped: c.skipped)
        }
    }

    public func protobuf() -> [UInt8] {
        var c = Postern__History__V1__ImportLegacyResponse()
        postern__history__v1__import_legacy_response__init(&c)
        c.imported = imported
        c.skipped = skipped
        return ProtobufCBridge.pack(
            &c, size: postern__history__v1__import_legacy_response__get_packed_size,
            pack: postern__history__v1__import_legacy_response__pack)
    }
}
