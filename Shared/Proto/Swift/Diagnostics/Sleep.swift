import CPosternProto

/// `postern.diagnostics.v1.SleepRequest`: sleep this long, then answer.
public struct SleepRequest: ProtoMessage, Equatable {
    public var milliseconds: UInt32

    public static let protoName = "postern.diagnostics.v1.SleepRequest"

    public init(milliseconds: UInt32) { self.milliseconds = milliseconds }

    public init(protobuf bytes: UnsafeRawBufferPointer) throws(ProtoDecodingError) {
        self = try ProtobufCBridge.unpack(
            bytes, as: Self.protoName,
            unpack: postern__diagnostics__v1__sleep_request__unpack,
            free: postern__diagnostics__v1__sleep_request__free_unpacked
        ) { (c: borrowing Postern__Diagnostics__V1__SleepRequest) throws(ProtoDecodingError) in
            SleepRequest(milliseconds: c.milliseconds)
        }
    }

    public func protobuf() -> [UInt8] {
        var c = Postern__Diagnostics__V1__SleepRequest()
        postern__diagnostics__v1__sleep_request__init(&c)
        c.milliseconds = milliseconds
        return ProtobufCBridge.pack(
            &c,
            size: postern__diagnostics__v1__sleep_request__get_packed_size,
            pack: postern__diagnostics__v1__sleep_request__pack)
    }
}

/// `postern.diagnostics.v1.SleepResponse`: the sleep asked for is over.
public struct SleepResponse: ProtoMessage, Equatable {
    public var milliseconds: UInt32

    public static let protoName = "postern.diagnostics.v1.SleepResponse"

    public init(milliseconds: UInt32) { self.milliseconds = milliseconds }

    public init(protobuf bytes: UnsafeRawBufferPointer) throws(ProtoDecodingError) {
        self = try ProtobufCBridge.unpack(
            bytes, as: Self.protoName,
            unpack: postern__diagnostics__v1__sleep_response__unpack,
            free: postern__diagnostics__v1__sleep_response__free_unpacked
        ) { (c: borrowing Postern__Diagnostics__V1__SleepResponse) throws(ProtoDecodingError) in
            SleepResponse(milliseconds: c.milliseconds)
        }
    }

    public func protobuf() -> [UInt8] {
        var c = Postern__Diagnostics__V1__SleepResponse()
        postern__diagnostics__v1__sleep_response__init(&c)
        c.milliseconds = milliseconds
        return ProtobufCBridge.pack(
            &c,
            size: postern__diagnostics__v1__sleep_response__get_packed_size,
            pack: postern__diagnostics__v1__sleep_response__pack)
    }
}

/// The Diagnostics service's name and method, as they appear on the wire.
public enum DiagnosticsMethods {
    public static let service = "postern.diagnostics.v1.Diagnostics"
    public static let sleep = "/postern.diagnostics.v1.Diagnostics/Sleep"
    /// The longest sleep asked for that is accepted.
    public static let maximumSleepMilliseconds: UInt32 = 600_000
}
