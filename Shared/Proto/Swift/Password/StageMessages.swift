import CPosternProto

/// `postern.password.v1.ListStagesRequest`: no fields.
public struct ListStagesRequest: ProtoMessage, Equatable {
    public static let protoName = "postern.password.v1.ListStagesRequest"
    public init() {}

    public init(protobuf bytes: UnsafeRawBufferPointer) throws(ProtoDecodingError) {
        self = try ProtobufCBridge.unpack(
            bytes, as: Self.protoName,
            unpack: postern__password__v1__list_stages_request__unpack,
            free: postern__password__v1__list_stages_request__free_unpacked
        ) { (_: borrowing Postern__Password__V1__ListStagesRequest) throws(ProtoDecodingError) in ListStagesRequest() }
    }

    public func protobuf() -> [UInt8] {
        var c = Postern__Password__V1__ListStagesRequest()
        postern__password__v1__list_stages_request__init(&c)
        return ProtobufCBridge.pack(
            &c, size: postern__password__v1__list_stages_request__get_packed_size,
            pack: postern__password__v1__list_stages_request__pack)
    }
}

/// `postern.password.v1.ListStagesResponse`.
public struct ListStagesResponse: ProtoMessage, Equatable {
    public var stages: [PasswordStage]
    public static let protoName = "postern.password.v1.ListStagesResponse"
    public init(stages: [PasswordStage]) { self.stages = stages }

    public init(protobuf bytes: UnsafeRawBufferPointer) throws(ProtoDecodingError) {
        self = try ProtobufCBridge.unpack(
            bytes, as: Self.protoName,
            unpack: postern__password__v1__list_stages_response__unpack,
            free: postern__password__v1__list_stages_response__free_unpacked
        ) { (c: borrowing Postern__Password__V1__ListStagesResponse) throws(ProtoDecodingError) in
            var stages: [PasswordStage] = []
            for index in 0..<c.n_stages {
                guard let stage = c.stages[index] else { continue }
                stages.append(try PasswordStage(c: stage.pointee))
            }
            return ListStagesResponse(stages: stages)
        }
    }

    public func protobuf() -> [UInt8] {
        var strings = CStringArena()
        // Each stage's backends array, alive until packing is done.
        var backendArrays: [UnsafeMutableBufferPointer<Postern__Password__V1__Backend>] = []
        defer { backendArrays.forEach { $0.deallocate() } }
        var c = Postern__Password__V1__ListStagesResponse()
        postern__password__v1__list_stages_response__init(&c)
        return ProtobufCBridge.withRepeated(stages, strings: &strings, fill: { stage, entry, strings in
            let backends = UnsafeMutableBufferPointer<Postern__Password__V1__Backend>.allocate(capacity: max(stage.backends.count, 1))
            backendArrays.append(backends)
            for (index, backend) in stage.backends.enumerated() {
                backends[index] = Postern__Password__V1__Backend(rawValue: UInt32(bitPattern: backend.rawValue))
            }
            stage.fill(entry, backends: stage.backends.isEmpty ? nil : backends.baseAddress, strings: &strings)
        }) { pointers, count in
            c.n_stages = count
            c.stages = pointers
            return ProtobufCBridge.pack(
                &c, size: postern__password__v1__list_stages_response__get_packed_size,
                pack: postern__password__v1__list_stages_response__pack)
        }
    }
}

/// `postern.password.v1.DeleteStageResponse`: no fields.
public struct DeleteStageResponse: ProtoMessage, Equatable {
    public static let protoName = "postern.password.v1.DeleteStageResponse"
    public init() {}

    public init(protobuf bytes: UnsafeRawBufferPointer) throws(ProtoDecodingError) {
        self = try ProtobufCBridge.unpack(
            bytes, as: Self.protoName,
            unpack: postern__password__v1__delete_stage_response__unpack,
            free: postern__password__v1__delete_stage_response__free_unpacked
        ) { (_: borrowing Postern__Password__V1__DeleteStageResponse) throws(ProtoDecodingError) in DeleteStageResponse() }
    }

    public func protobuf() -> [UInt8] {
        var c = Postern__Password__V1__DeleteStageResponse()
        postern__password__v1__delete_stage_response__init(&c)
        return ProtobufCBridge.pack(
            &c, size: postern__password__v1__delete_stage_response__get_packed_size,
            pack: postern__password__v1__delete_stage_response__pack)
    }
}
