import CPosternProto

/// `postern.history.v1.SetRetentionRequest`.
public struct SetRetentionRequest: ProtoMessage, Equatable {
    public var count: UInt32
    public static let protoName = "postern.history.v1.SetRetentionRequest"
    public init(count: UInt32) { self.count = count }

    public init(protobuf bytes: UnsafeRawBufferPointer) throws(ProtoDecodingError) {
        self = try ProtobufCBridge.unpack(
            bytes, as: Self.protoName,
            unpack: postern__history__v1__set_retention_request__unpack,
            free: postern__history__v1__set_retention_request__free_unpacked
        ) { (c: borrowing Postern__History__V1__SetRetentionRequest) throws(ProtoDecodingError) in
            SetRetentionRequest(count: c.count)
        }
    }

    public func protobuf() -> [UInt8] {
        var c = Postern__History__V1__SetRetentionRequest()
        postern__history__v1__set_retention_request__init(&c)
        c.count = count
        return ProtobufCBridge.pack(
            &c, size: postern__history__v1__set_retention_request__get_packed_size,
            pack: postern__history__v1__set_retention_request__pack)
    }
}

/// `postern.history.v1.SetRetentionResponse`.
public struct SetRetentionResponse: ProtoMessage, Equatable {
    public var previous: UInt32
    public var removed: UInt64
    public static let protoName = "postern.history.v1.SetRetentionResponse"

    public init(previous: UInt32, removed: UInt64) {
        self.previous = previous
        self.removed = removed
    }

    public init(protobuf bytes: UnsafeRawBufferPointer) throws(ProtoDecodingError) {
        self = try ProtobufCBridge.unpack(
            bytes, as: Self.protoName,
            unpack: postern__history__v1__set_retention_response__unpack,
            free: postern__history__v1__set_retention_response__free_unpacked
        ) { (c: borrowing Postern__History__V1__SetRetentionResponse) throws(ProtoDecodingError) in
            SetRetentionResponse(previous: c.previous, removed: c.removed)
        }
    }

    public func protobuf() -> [UInt8] {
        var c = Postern__History__V1__SetRetentionResponse()
        postern__history__v1__set_retention_response__init(&c)
        c.previous = previous
        c.removed = removed
        return ProtobufCBridge.pack(
            &c, size: postern__history__v1__set_retention_response__get_packed_size,
            pack: postern__history__v1__set_retention_response__pack)
    }
}

/// `postern.history.v1.ForgetUserRequest`.
public struct ForgetUserRequest: ProtoMessage, Equatable {
    public var userID: String
    public static let protoName = "postern.history.v1.ForgetUserRequest"
    public init(userID: String) { self.userID = userID }

    public init(protobuf bytes: UnsafeRawBufferPointer) throws(ProtoDecodingError) {
        let name = Self.protoName
        self = try ProtobufCBridge.unpack(
            bytes, as: name,
            unpack: postern__history__v1__forget_user_request__unpack,
            free: postern__history__v1__forget_user_request__free_unpacked
        ) { (c: borrowing Postern__History__V1__ForgetUserRequest) throws(ProtoDecodingError) in
            ForgetUserRequest(userID: try ProtobufCBridge.string(c.user_id, named: "user_id", in: name))
        }
    }

    public func protobuf() -> [UInt8] {
        var strings = CStringArena()
        var c = Postern__History__V1__ForgetUserRequest()
        postern__history__v1__forget_user_request__init(&c)
        c.user_id = strings.copy(userID)
        return ProtobufCBridge.pack(
            &c, size: postern__history__v1__forget_user_request__get_packed_size,
            pack: postern__history__v1__forget_user_request__pack)
    }
}

/// `postern.history.v1.ForgetUserResponse`.
public struct ForgetUserResponse: ProtoMessage, Equatable {
    public var removed: UInt64
    public static let protoName = "postern.history.v1.ForgetUserResponse"
    public init(removed: UInt64) { self.removed = removed }

    public init(protobuf bytes: UnsafeRawBufferPointer) throws(ProtoDecodingError) {
        self = try ProtobufCBridge.unpack(
            bytes, as: Self.protoName,
            unpack: postern__history__v1__forget_user_response__unpack,
            free: postern__history__v1__forget_user_response__free_unpacked
        ) { (c: borrowing Postern__History__V1__ForgetUserResponse) throws(ProtoDecodingError) in
            ForgetUserResponse(removed: c.removed)
        }
    }

    public func protobuf() -> [UInt8] {
        var c = Postern__History__V1__ForgetUserResponse()
        postern__history__v1__forget_user_response__init(&c)
        c.removed = removed
        return ProtobufCBridge.pack(
            &c, size: postern__history__v1__forget_user_response__get_packed_size,
            pack: postern__history__v1__forget_user_response__pack)
    }
}
