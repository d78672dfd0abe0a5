import CPosternProto

/// `postern.password.v1.GetChallengeRequest`.
public struct GetChallengeRequest: ProtoMessage, Equatable {
    public var stage: String
    public var pendingUser: String
    public static let protoName = "postern.password.v1.GetChallengeRequest"

    public init(stage: String, pendingUser: String) {
        self.stage = stage
        self.pendingUser = pendingUser
    }

    public init(protobuf bytes: UnsafeRawBufferPointer) throws(ProtoDecodingError) {
        let name = Self.protoName
        self = try ProtobufCBridge.unpack(
            bytes, as: name,
            unpack: postern__password__v1__get_challenge_request__unpack,
            free: postern__password__v1__get_challenge_request__free_unpacked
        ) { (c: borrowing Postern__Password__V1__GetChallengeRequest) throws(ProtoDecodingError) in
            GetChallengeRequest(
                stage: try ProtobufCBridge.string(c.stage, named: "stage", in: name),
                pendingUser: try ProtobufCBridge.string(c.pending_user, named: "pending_user", in: name))
        }
    }

    public func protobuf() -> [UInt8] {
        var strings = CStringArena()
        var c = Postern__Password__V1__GetChallengeRequest()
        postern__password__v1__get_challenge_request__init(&c)
        c.stage = strings.copy(stage)
        c.pending_user = strings.copy(pendingUser)
        return ProtobufCBridge.pack(
            &c, size: postern__password__v1__get_challenge_request__get_packed_size,
            pack: postern__password__v1__get_challenge_request__pack)
    }
}

/// `postern.password.v1.PasswordChallenge`: what the IdP renders (authentik's §6.2).
public struct PasswordChallenge: ProtoMessage, Equatable {
    public static let component = "ak-stage-password"

    public var component: String
    public var pendingUser: String
    public var allowShowPassword: Bool
    public var configurationFlow: String
    public static let protoName = "postern.password.v1.PasswordChallenge"

    public init(component: String = Self.component, pendingUser: String, allowShowPassword: Bool, configurationFlow: String) {
        self.component = component
        self.pendingUser = pendingUser
        self.allowShowPassword = allowShowPassword
        self.configurationFlow = configurationFlow
    }

    public init(protobuf bytes: UnsafeRawBufferPointer) throws(ProtoDecodingError) {
        let name = Self.protoName
        self = try ProtobufCBridge.unpack(
            bytes, as: name,
            unpack: postern__password__v1__password_challenge__unpack,
            free: postern__password__v1__password_challenge__free_unpacked
        ) { (c: borrowing Postern__Password__V1__PasswordChallenge) throws(ProtoDecodingError) in
            PasswordChallenge(
                component: try ProtobufCBridge.string(c.component, named: "component", in: name),
                pendingUser: try ProtobufCBridge.string(c.pending_user, named: "pending_user", in: name),
                allowShowPassword: c.allow_show_password != 0,
                configurationFlow: try ProtobufCBridge.string(c.configuration_flow, named: "configuration_flow", in: name))
        }
    }

    public func protobuf() -> [UInt8] {
        var strings = CStringArena()
        var c = Postern__Password__V1__PasswordChallenge()
        postern__password__v1__password_challenge__init(&c)
        c.component = strings.copy(component)
        c.pending_user = strings.copy(pendingUser)
        c.allow_show_password = allowShowPassword ? 1 : 0
        c.configuration_flow = strings.copy(configurationFlow)
        return ProtobufCBridge.pack(
            &c, size: postern__password__v1__password_challenge__get_packed_size,
            pack: postern__password__v1__password_challenge__pack)
    }
}

/// `postern.password.v1.Stages`: its service name and method paths.
public enum StagesMethods {
    public static let service = "postern.password.v1.Stages"
    public static let create = "/postern.password.v1.Stages/Create"
    public static let update = "/postern.password.v1.Stages/Update"
    public static let get = "/postern.password.v1.Stages/Get"
    public static let list = "/postern.password.v1.Stages/List"
    public static let delete = "/postern.password.v1.Stages/Delete"
    public static let getChallenge = "/postern.password.v1.Stages/GetChallenge"
}
