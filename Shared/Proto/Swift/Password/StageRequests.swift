import CPosternProto

/// The `stage` field of `CreateStageRequest` and `UpdateStageRequest`. A missing stage reads
/// as one with no name, which the daemon refuses.
private func decodeStage(
    _ c: UnsafeMutablePointer<Postern__Password__V1__PasswordStage>?
) throws(ProtoDecodingError) -> PasswordStage {
    guard let c else { return PasswordStage(name: "", backends: []) }
    return try PasswordStage(c: c.pointee)
}

/// `postern.password.v1.CreateStageRequest`.
public struct CreateStageRequest: ProtoMessage, Equatable {
    public var stage: PasswordStage
    public static let protoName = "postern.password.v1.CreateStageRequest"
    public init(stage: PasswordStage) { self.stage = stage }

    public init(protobuf bytes: UnsafeRawBufferPointer) throws(ProtoDecodingError) {
        self = try ProtobufCBridge.unpack(
            bytes, as: Self.protoName,
            unpack: postern__password__v1__create_stage_request__unpack,
            free: postern__password__v1__create_stage_request__free_unpacked
        ) { (c: borrowing Postern__Password__V1__CreateStageRequest) throws(ProtoDecodingError) in
            CreateStageRequest(stage: try decodeStage(c.stage))
        }
    }

    public func protobuf() -> [UInt8] {
        var strings = CStringArena()
        return stage.withC(strings: &strings) { stage in
            var c = Postern__Password__V1__CreateStageRequest()
            postern__password__v1__create_stage_request__init(&c)
            c.stage = stage
            return ProtobufCBridge.pack(
                &c, size: postern__password__v1__create_stage_request__get_packed_size,
                pack: postern__password__v1__create_stage_request__pack)
        }
    }
}

/// `postern.password.v1.UpdateStageRequest`: replaces the stage named `stage.name`.
public struct UpdateStageRequest: ProtoMessage, Equatable {
    public var stage: PasswordStage
    public static let protoName = "postern.password.v1.UpdateStageRequest"
    public init(stage: PasswordStage) { self.stage = stage }

    public init(protobuf bytes: UnsafeRawBufferPointer) throws(ProtoDecodingError) {
        self = try ProtobufCBridge.unpack(
            bytes, as: Self.protoName,
            unpack: postern__password__v1__update_stage_request__unpack,
            free: postern__password__v1__update_stage_request__free_unpacked
        ) { (c: borrowing Postern__Password__V1__UpdateStageRequest) throws(ProtoDecodingError) in
            UpdateStageRequest(stage: try decodeStage(c.stage))
        }
    }

    public func protobuf() -> [UInt8] {
        var strings = CStringArena()
        return stage.withC(strings: &strings) { stage in
            var c = Postern__Password__V1__UpdateStageRequest()
            postern__password__v1__update_stage_request__init(&c)
            c.stage = stage
            return ProtobufCBridge.pack(
                &c, size: postern__password__v1__update_stage_request__get_packed_size,
                pack: postern__password__v1__update_stage_request__pack)
        }
    }
}


/// `postern.password.v1.GetStageRequest`.
public struct GetStageRequest: ProtoMessage, Equatable {
    public var name: String
    public static let protoName = "postern.password.v1.GetStageRequest"
    public init(name: String) { self.name = name }

    public init(protobuf bytes: UnsafeRawBufferPointer) throws(ProtoDecodingError) {
        self = try ProtobufCBridge.unpack(
            bytes, as: Self.protoName,
            unpack: postern__password__v1__get_stage_request__unpack,
            free: postern__password__v1__get_stage_request__free_unpacked
        ) { (c: borrowing Postern__Password__V1__GetStageRequest) throws(ProtoDecodingError) in
            GetStageRequest(name: try ProtobufCBridge.string(c.name, named: "name", in: Self.protoName))
        }
    }

    public func protobuf() -> [UInt8] {
        var strings = CStringArena()
        var c = Postern__Password__V1__GetStageRequest()
        postern__password__v1__get_stage_request__init(&c)
        c.name = strings.copy(name)
        return ProtobufCBridge.pack(
            &c, size: postern__password__v1__get_stage_request__get_packed_size, pack: postern__password__v1__get_stage_request__pack)
    }
}

/// `postern.password.v1.DeleteStageRequest`.
public struct DeleteStageRequest: ProtoMessage, Equatable {
    public var name: String
    public static let protoName = "postern.password.v1.DeleteStageRequest"
    public init(name: String) { self.name = name }

    public init(protobuf bytes: UnsafeRawBufferPointer) throws(ProtoDecodingError) {
        self = try ProtobufCBridge.unpack(
            bytes, as: Self.protoName,
            unpack: postern__password__v1__delete_stage_request__unpack,
            free: postern__password__v1__delete_stage_request__free_unpacked
        ) { (c: borrowing Postern__Password__V1__DeleteStageRequest) throws(ProtoDecodingError) in
            DeleteStageRequest(name: try ProtobufCBridge.string(c.name, named: "name", in: Self.protoName))
        }
    }

    public func protobuf() -> [UInt8] {
        var strings = CStringArena()
        var c = Postern__Password__V1__DeleteStageRequest()
        postern__password__v1__delete_stage_request__init(&c)
        c.name = strings.copy(name)
        return ProtobufCBridge.pack(
            &c, size: postern__password__v1__delete_stage_request__get_packed_size,
            pack: postern__password__v1__delete_stage_request__pack)
    }
}
