import CPosternProto

/// `postern.password.v1.AuthenticateRequest`. Its description never shows the secret.
public struct AuthenticateRequest: ProtoMessage, Equatable, CustomStringConvertible {
    public var stage: String
    public var flowSession: String
    public var userID: String
    public var username: String
    public var secret: String
    public var clientAddress: String

    public static let protoName = "postern.password.v1.AuthenticateRequest"

    public init(
        stage: String, flowSession: String, userID: String = "", username: String = "", secret: String,
        clientAddress: String = ""
    ) {
        self.stage = stage
        self.flowSession = flowSession
        self.userID = userID
        self.username = username
        self.secret = secret
        self.clientAddress = clientAddress
    }

    public var description: String {
        "AuthenticateRequest(stage: \(stage), flow_session: \(flowSession), user_id: \(userID), username: \(username), secret: ********)"
    }

    public init(protobuf bytes: UnsafeRawBufferPointer) throws(ProtoDecodingError) {
        let name = Self.protoName
        self = try ProtobufCBridge.unpack(
            bytes, as: name,
            unpack: postern__password__v1__authenticate_request__unpack,
            free: postern__password__v1__authenticate_request__free_unpacked
        ) { (c: borrowing Postern__Password__V1__AuthenticateRequest) throws(ProtoDecodingError) in
            AuthenticateRequest(
                stage: try ProtobufCBridge.string(c.stage, named: "stage", in: name),
                flowSession: try ProtobufCBridge.string(c.flow_session, named: "flow_session", in: name),
                userID: try ProtobufCBridge.string(c.user_id, named: "user_id", in: name),
                username: try ProtobufCBridge.string(c.username, named: "username", in: name),
                secret: try ProtobufCBridge.string(c.secret, named: "secret", in: name),
                clientAddress: try ProtobufCBridge.string(c.client_address, named: "client_address", in: name))
        }
    }

    public func protobuf() -> [UInt8] {
        var strings = CStringArena()
        var c = Postern__Password__V1__AuthenticateRequest()
        postern__password__v1__authenticate_request__init(&c)
        c.stage = strings.copy(stage)
        c.flow_session = strings.copy(flowSession)
        c.user_id = strings.copy(userID)
        c.username = strings.copy(username)
        c.secret = strings.copy(secret)
        c.client_address = strings.copy(clientAddress)
        return ProtobufCBridge.pack(
            &c, size: postern__password__v1__authenticate_request__get_packed_size,
            pack: postern__password__v1__authenticate_request__pack)
    }
}

/// `postern.password.v1.AuthenticateResponse`.
public struct AuthenticateResponse: ProtoMessage, Equatable {
    public enum Outcome: Int32, Sendable {
        case unspecified = 0, authenticated = 1, invalid = 2, cancel = 3
    }

    public var outcome: Outcome
    public var userID: String
    public var username: String
    public var backend: String
    public var method: String
    public var message: String
    public var attemptsLeft: UInt32

    public static let protoName = "postern.password.v1.AuthenticateResponse"

    public init(
        outcome: Outcome, userID: String = "", username: String = "", backend: String = "", method: String = "",
        message: String = "", attemptsLeft: UInt32 = 0
    ) {
        self.outcome = outcome
        self.userID = userID
        self.username = username
        self.backend = backend
        self.method = method
        self.message = message
        self.attemptsLeft = attemptsLeft
    }

    public init(protobuf bytes: UnsafeRawBufferPointer) throws(ProtoDecodingError) {
        let name = Self.protoName
        self = try ProtobufCBridge.unpack(
            bytes, as: name,
            unpack: postern__password__v1__authenticate_response__unpack,
            free: postern__password__v1__authenticate_response__free_unpacked
        ) { (c: borrowing Postern__Password__V1__AuthenticateResponse) throws(ProtoDecodingError) in
            AuthenticateResponse(
                outcome: Outcome(rawValue: Int32(bitPattern: c.outcome.rawValue)) ?? .unspecified,
                userID: try ProtobufCBridge.string(c.user_id, named: "user_id", in: name),
                username: try ProtobufCBridge.string(c.username, named: "username", in: name),
                backend: try ProtobufCBridge.string(c.backend, named: "backend", in: name),
                method: try ProtobufCBridge.string(c.method, named: "method", in: name),
                message: try ProtobufCBridge.string(c.message, named: "message", in: name),
                attemptsLeft: c.attempts_left)
        }
    }

    public func protobuf() -> [UInt8] {
        var strings = CStringArena()
        var c = Postern__Password__V1__AuthenticateResponse()
        postern__password__v1__authenticate_response__init(&c)
        c.outcome = Postern__Password__V1__AuthenticateResponse__Outcome(rawValue: UInt32(bitPattern: outcome.rawValue))
        c.user_id = strings.copy(userID)
        c.username = strings.copy(username)
        c.backend = strings.copy(backend)
        c.method = strings.copy(method)
        c.message = strings.copy(message)
        c.attempts_left = attemptsLeft
        return ProtobufCBridge.pack(
            &c, size: postern__password__v1__authenticate_response__get_packed_size,
            pack: postern__password__v1__authenticate_response__pack)
    }
}

/// `postern.password.v1.Authentication`: its service name and method path.
public enum AuthenticationMethods {
    public static let service = "postern.password.v1.Authentication"
    public static let authenticate = "/postern.password.v1.Authentication/Authenticate"
}
