import CPosternProto

/// `postern.history.v1.ConfirmRequest`.
public struct HistoryConfirmRequest: ProtoMessage, Equatable {
    public var pendingID: String
    public static let protoName = "postern.history.v1.ConfirmRequest"
    public init(pendingID: String) { self.pendingID = pendingID }

    public init(protobuf bytes: UnsafeRawBufferPointer) throws(ProtoDecodingError) {
        let name = Self.protoName
        self = try ProtobufCBridge.unpack(
            bytes, as: name,
            unpack: postern__history__v1__confirm_request__unpack,
            free: postern__history__v1__confirm_request__free_unpacked
        ) { (c: borrowing Postern__History__V1__ConfirmRequest) throws(ProtoDecodingError) in
            HistoryConfirmRequest(pendingID: try ProtobufCBridge.string(c.pending_id, named: "pending_id", in: name))
        }
    }

    public func protobuf() -> [UInt8] {
        var strings = CStringArena()
        var c = Postern__History__V1__ConfirmRequest()
        postern__history__v1__confirm_request__init(&c)
        c.pending_id = strings.copy(pendingID)
        return ProtobufCBridge.pack(
            &c, size: postern__history__v1__confirm_request__get_packed_size, pack: postern__history__v1__confirm_request__pack)
    }
}

/// `postern.history.v1.ConfirmResponse`.
public struct HistoryConfirmResponse: ProtoMessage, Equatable {
    public var confirmed: Bool
    public static let protoName = "postern.history.v1.ConfirmResponse"
    public init(confirmed: Bool) { self.confirmed = confirmed }

    public init(protobuf bytes: UnsafeRawBufferPointer) throws(ProtoDecodingError) {
        self = try ProtobufCBridge.unpack(
            bytes, as: Self.protoName,
            unpack: postern__history__v1__confirm_response__unpack,
            free: postern__history__v1__confirm_response__free_unpacked
        ) { (c: borrowing Postern__History__V1__ConfirmResponse) throws(ProtoDecodingError) in
            HistoryConfirmResponse(confirmed: c.confirmed != 0)
        }
    }

    public func protobuf() -> [UInt8] {
        var c = Postern__History__V1__ConfirmResponse()
        postern__history__v1__confirm_response__init(&c)
        c.confirmed = confirmed ? 1 : 0
        return ProtobufCBridge.pack(
            &c, size: postern__history__v1__confirm_response__get_packed_size, pack: postern__history__v1__confirm_response__pack)
    }
}

/// `postern.history.v1.DiscardRequest`.
public struct HistoryDiscardRequest: ProtoMessage, Equatable {
    public var pendingID: String
    public static let protoName = "postern.history.v1.DiscardRequest"
    public init(pendingID: String) { self.pendingID = pendingID }

    public init(protobuf bytes: UnsafeRawBufferPointer) throws(ProtoDecodingError) {
        let name = Self.protoName
        self = try ProtobufCBridge.unpack(
            bytes, as: name,
            unpack: postern__history__v1__discard_request__unpack,
            free: postern__history__v1__discard_request__free_unpacked
        ) { (c: borrowing Postern__History__V1__DiscardRequest) throws(ProtoDecodingError) in
            HistoryDiscardRequest(pendingID: try ProtobufCBridge.string(c.pending_id, named: "pending_id", in: name))
        }
    }

    public func protobuf() -> [UInt8] {
        var strings = CStringArena()
        var c = Postern__History__V1__DiscardRequest()
        postern__history__v1__discard_request__init(&c)
        c.pending_id = strings.copy(pendingID)
        return ProtobufCBridge.pack(
            &c, size: postern__history__v1__discard_request__get_packed_size, pack: postern__history__v1__discard_request__pack)
    }
}

/// `postern.history.v1.DiscardResponse`: no fields.
public struct HistoryDiscardResponse: ProtoMessage, Equatable {
    public static let protoName = "postern.history.v1.DiscardResponse"
    public init() {}

    public init(protobuf bytes: UnsafeRawBufferPointer) throws(ProtoDecodingError) {
        self = try ProtobufCBridge.unpack(
            bytes, as: Self.protoName,
            unpack: postern__history__v1__discard_response__unpack,
            free: postern__history__v1__discard_response__free_unpacked
        ) { (_: borrowing Postern__History__V1__DiscardResponse) throws(ProtoDecodingError) in HistoryDiscardResponse() }
    }

    public func protobuf() -> [UInt8] {
        var c = Postern__History__V1__DiscardResponse()
        postern__history__v1__discard_response__init(&c)
        return ProtobufCBridge.pack(
            &c, size: postern__history__v1__discard_response__get_packed_size, pack: postern__history__v1__discard_response__pack)
    }
}
