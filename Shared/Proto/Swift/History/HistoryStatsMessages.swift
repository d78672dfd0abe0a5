import CPosternProto

/// `postern.history.v1.StatsRequest`: no fields.
public struct HistoryStatsRequest: ProtoMessage, Equatable {
    public static let protoName = "postern.history.v1.StatsRequest"
    public init() {}

    public init(protobuf bytes: UnsafeRawBufferPointer) throws(ProtoDecodingError) {
        self = try ProtobufCBridge.unpack(
            bytes, as: Self.protoName,
            unpack: postern__history__v1__stats_request__unpack,
            free: postern__history__v1__stats_request__free_unpacked
        ) { (_: borrowing Postern__History__V1__StatsRequest) throws(ProtoDecodingError) in HistoryStatsRequest() }
    }

    public func protobuf() -> [UInt8] {
        var c = Postern__History__V1__StatsRequest()
        postern__history__v1__stats_request__init(&c)
        return ProtobufCBridge.pack(
            &c, size: postern__history__v1__stats_request__get_packed_size, pack: postern__history__v1__stats_request__pack)
    }
}

/// `postern.history.v1.StatsResponse`.
public struct HistoryStatsResponse: ProtoMessage, Equatable {
    /// `postern.history.v1.ParameterSetStats`: entries made with one parameter set.
    public struct ParameterSet: Equatable, Sendable {
        public var parameters: String
        public var entries: UInt64

        public init(parameters: String, entries: UInt64) {
            self.parameters = parameters
            self.entries = entries
        }
    }

    public var retention: UInt32
    public var users: UInt64
    public var entries: UInt64
    public var entriesOtherPepper: UInt64
    public var parameterSets: [ParameterSet]
    public var databaseBytes: UInt64
    public var pending: UInt64
    /// Entries imported from authentik, among `entries`.
    public var legacyEntries: UInt64

    public static let protoName = "postern.history.v1.StatsResponse"

    public init(
        retention: UInt32, users: UInt64, entries: UInt64, entriesOtherPepper: UInt64,
        parameterSets: [ParameterSet], databaseBytes: UInt64, pending: UInt64, legacyEntries: UInt64 = 0
    ) {
        self.retention = retention
        self.users = users
        self.entries = entries
        self.entriesOtherPepper = entriesOtherPepper
        self.parameterSets = parameterSets
        self.databaseBytes = databaseBytes
        self.pending = pending
        self.legacyEntries = legacyEntries
    }

    public init(protobuf bytes: UnsafeRawBufferPointer) throws(ProtoDecodingError) {
        let name = Self.protoName
        self = try ProtobufCBridge.unpack(
            bytes, as: name,
            unpack: postern__history__v1__stats_response__unpack,
            free: postern__history__v1__stats_response__free_unpacked
        ) { (c: borrowing Postern__History__V1__StatsResponse) throws(ProtoDecodingError) in
            var sets: [ParameterSet] = []
            sets.reserveCapacity(c.n_parameter_sets)
            for index in 0..<c.n_parameter_sets {
                guard let entry = c.parameter_sets[index] else { continue }
                sets.append(ParameterSet(
                    parameters: try ProtobufCBridge.string(entry.pointee.parameters, named: "parameters", in: name),
                    entries: entry.pointee.entries))
            }
            return HistoryStatsResponse(
                retention: c.retention, users: c.users, entries: c.entries, entriesOtherPepper: c.entries_other_pepper,
                parameterSets: sets, databaseBytes: c.database_bytes, pending: c.pending,
                legacyEntries: c.legacy_entries)
        }
    }

    public func protobuf() -> [UInt8] {
        var strings = CStringArena()
        var c = Postern__History__V1__StatsResponse()
        postern__history__v1__stats_response__init(&c)
        c.retention = retention
        c.users = users
        c.entries = entries
        c.entries_other_pepper = entriesOtherPepper
        c.database_bytes = databaseBytes
        c.pending = pending
        c.legacy_entries = legacyEntries
        return ProtobufCBridge.withRepeated(parameterSets, strings: &strings, fill: { set, entry, strings in
            postern__history__v1__parameter_set_stats__init(entry)
            entry.pointee.parameters = strings.copy(set.parameters)
            entry.pointee.entries = set.entries
        }) { pointers, count in
            c.n_parameter_sets = count
            c.parameter_sets = pointers
            return ProtobufCBridge.pack(
                &c, size: postern__history__v1__stats_response__get_packed_size,
                pack: postern__history__v1__stats_response__pack)
        }
    }
}
