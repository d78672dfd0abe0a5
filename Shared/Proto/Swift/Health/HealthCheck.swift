import CPosternProto

/// `postern.health.v1.HealthCheckRequest`: "" asks about the whole daemon, otherwise a
/// service name.
public struct HealthCheckRequest: ProtoMessage, Equatable {
    public var service: String

    public static let protoName = "postern.health.v1.HealthCheckRequest"

    public init(service: String = "") { self.service = service }

    public init(protobuf bytes: UnsafeRawBufferPointer) throws(ProtoDecodingError) {
        self = try ProtobufCBridge.unpack(
            bytes, as: Self.protoName,
            unpack: postern__health__v1__health_check_request__unpack,
            free: postern__health__v1__health_check_request__free_unpacked
        ) { (c: borrowing Postern__Health__V1__HealthCheckRequest) throws(ProtoDecodingError) in
            HealthCheckRequest(service: try ProtobufCBridge.string(c.service, named: "service", in: Self.protoName))
        }
    }

    public func protobuf() -> [UInt8] {
        var strings = CStringArena()
        var c = Postern__Health__V1__HealthCheckRequest()
        postern__health__v1__health_check_request__init(&c)
        c.service = strings.copy(service)
        return ProtobufCBridge.pack(
            &c,
            size: postern__health__v1__health_check_request__get_packed_size,
            pack: postern__health__v1__health_check_request__pack)
    }
}

/// `postern.health.v1.HealthCheckResponse`: whether the daemon (or service) serves, and which
/// daemon answered.
public struct HealthCheckResponse: ProtoMessage, Equatable {
    public enum ServingStatus: Int32, Sendable, CustomStringConvertible {
        case unknown = 0
        case serving = 1
        case notServing = 2

        public var description: String {
            switch self {
            case .unknown: "UNKNOWN"
            case .serving: "SERVING"
            case .notServing: "NOT_SERVING"
            }
        }
    }

    public var status: ServingStatus
    public var daemon: String
    public var version: String

    public static let protoName = "postern.health.v1.HealthCheckResponse"

    public init(status: ServingStatus, daemon: String = "", version: String = "") {
        self.status = status
        self.daemon = daemon
        self.version = version
    }

    public init(protobuf bytes: UnsafeRawBufferPointer) throws(ProtoDecodingError) {
        let name = Self.protoName
        self = try ProtobufCBridge.unpack(
            bytes, as: name,
            unpack: postern__health__v1__health_check_response__unpack,
            free: postern__health__v1__health_check_response__free_unpacked
        ) { (c: borrowing Postern__Health__V1__HealthCheckResponse) throws(ProtoDecodingError) in
            HealthCheckResponse(
                // A status this build does not know (a newer daemon) reads as UNKNOWN.
                status: ServingStatus(rawValue: Int32(c.status.rawValue)) ?? .unknown,
                daemon: try ProtobufCBridge.string(c.daemon, named: "daemon", in: name),
                version: try ProtobufCBridge.string(c.version, named: "version", in: name))
        }
    }

    public func protobuf() -> [UInt8] {
        var strings = CStringArena()
        var c = Postern__Health__V1__HealthCheckResponse()
        postern__health__v1__health_check_response__init(&c)
        c.status = Postern__Health__V1__HealthCheckResponse__ServingStatus(rawValue: UInt32(bitPattern: status.rawValue))
        c.daemon = strings.copy(daemon)
        c.version = strings.copy(version)
        return ProtobufCBridge.pack(
            &c,
            size: postern__health__v1__health_check_response__get_packed_size,
            pack: postern__health__v1__health_check_response__pack)
    }
}

/// The Health service's name and its one method, as they appear on the wire.
public enum HealthMethods {
    public static let service = "postern.health.v1.Health"
    public static let check = "/postern.health.v1.Health/Check"
}
