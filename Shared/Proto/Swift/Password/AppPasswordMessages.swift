import CPosternProto

/// `postern.password.v1.AppPassword`: an app password as listed, never its secret.
public struct AppPassword: ProtoMessage, Equatable {
    public var id: String
    public var userID: String
    public var description: String
    public var createdUnixMilliseconds: Int64
    /// 0: never expires.
    public var expiresUnixMilliseconds: Int64
    /// 0: not revoked.
    public var revokedUnixMilliseconds: Int64

    public static let protoName = "postern.password.v1.AppPassword"

    public init(
        id: String, userID: String, description: String = "", createdUnixMilliseconds: Int64 = 0,
        expiresUnixMilliseconds: Int64 = 0, revokedUnixMilliseconds: Int64 = 0
    ) {
        self.id = id
        self.userID = userID
        self.description = description
        self.createdUnixMilliseconds = createdUnixMilliseconds
        self.expiresUnixMilliseconds = expiresUnixMilliseconds
        self.revokedUnixMilliseconds = revokedUnixMilliseconds
    }

    public init(protobuf bytes: UnsafeRawBufferPointer) throws(ProtoDecodingError) {
        self = try ProtobufCBridge.unpack(
            bytes, as: Self.protoName,
            unpack: postern__password__v1__app_password__unpack,
            free: postern__password__v1__app_password__free_unpacked
        ) { (c: borrowing Postern__Password__V1__AppPassword) throws(ProtoDecodingError) in
            try AppPassword(c: c)
        }
    }

    init(c: borrowing Postern__Password__V1__AppPassword) throws(ProtoDecodingError) {
        let name = Self.protoName
        self.init(
            id: try ProtobufCBridge.string(c.id, named: "id", in: name),
            userID: try ProtobufCBridge.string(c.user_id, named: "user_id", in: name),
            description: try ProtobufCBridge.string(c.description, named: "description", in: name),
            createdUnixMilliseconds: c.created_unix_ms, expiresUnixMilliseconds: c.expires_unix_ms,
            revokedUnixMilliseconds: c.revoked_unix_ms)
    }

    /// An app password field of another message; a missing one reads as one with no id.
    init(field: UnsafeMutablePointer<Postern__Password__V1__AppPassword>?) throws(ProtoDecodingError) {
        guard let field else {
            self.init(id: "", userID: "")
            return
        }
        try self.init(c: field.pointee)
    }

    /// Fills an initialised C struct; its strings live in `strings`.
    func fill(_ c: inout Postern__Password__V1__AppPassword, strings: inout CStringArena) {
        c.id = strings.copy(id)
        c.user_id = strings.copy(userID)
        c.description = strings.copy(description)
        c.created_unix_ms = createdUnixMilliseconds
        c.expires_unix_ms = expiresUnixMilliseconds
        c.revoked_unix_ms = revokedUnixMilliseconds
    }

    /// Runs `body` with this app password as a C struct.
    func withC<R>(strings: inout CStringArena, _ body: (UnsafeMutablePointer<Postern__Password__V1__AppPassword>) -> R) -> R {
        var c = Postern__Password__V1__AppPassword()
        postern__password__v1__app_password__init(&c)
        fill(&c, strings: &strings)
        return withUnsafeMutablePointer(to: &c) { body($0) }
    }

    public func protobuf() -> [UInt8] {
        var strings = CStringArena()
        return withC(strings: &strings) { c in
            ProtobufCBridge.packPointer(
                c, size: postern__password__v1__app_password__get_packed_size, pack: postern__password__v1__app_password__pack)
        }
    }
}

/// `postern.password.v1.CreateAppPasswordRequest`.
public struct CreateAppPasswordRequest: ProtoMessage, Equatable {
    public var userID: String
    public var username: String
    public var description: String
    /// 0: never expires.
    public var expiresUnixMilliseconds: Int64

    public static let protoName = "postern.password.v1.CreateAppPasswordRequest"

    public init(userID: String = "", username: String = "", description: String = "", expiresUnixMilliseconds: Int64 = 0) {
        self.userID = userID
        self.username = username
        self.description = description
        self.expiresUnixMilliseconds = expiresUnixMilliseconds
    }

    public init(protobuf bytes: UnsafeRawBufferPointer) throws(ProtoDecodingError) {
        let name = Self.protoName
        self = try ProtobufCBridge.unpack(
            bytes, as: name,
            unpack: postern__password__v1__create_app_password_request__unpack,
            free: postern__password__v1__create_app_password_request__free_unpacked
        ) { (c: borrowing Postern__Password__V1__CreateAppPasswordRequest) throws(ProtoDecodingError) in
            CreateAppPasswordRequest(
                userID: try ProtobufCBridge.string(c.user_id, named: "user_id", in: name),
                username: try ProtobufCBridge.string(c.username, named: "username", in: name),
                description: try ProtobufCBridge.string(c.description, named: "description", in: name),
                expiresUnixMilliseconds: c.expires_unix_ms)
        }
    }

    public func protobuf() -> [UInt8] {
        var strings = CStringArena()
        var c = Postern__Password__V1__CreateAppPasswordRequest()
        postern__password__v1__create_app_password_request__init(&c)
        c.user_id = strings.copy(userID)
        c.username = strings.copy(username)
        c.description = strings.copy(description)
        c.expires_unix_ms = expiresUnixMilliseconds
        return ProtobufCBridge.pack(
            &c, size: postern__password__v1__create_app_password_request__get_packed_size,
            pack: postern__password__v1__create_app_password_request__pack)
    }
}

/// `postern.password.v1.CreateAppPasswordResponse` and `ViewAppPasswordResponse` (the same
/// fields): an app password with its secret. Its description never shows the secret.
public struct AppPasswordWithSecret: Equatable, Sendable, CustomStringConvertible {
    public var appPassword: AppPassword
    public var secret: String

    public init(appPassword: AppPassword, secret: String) {
        self.appPassword = appPassword
        self.secret = secret
    }

    public var description: String { "AppPasswordWithSecret(id: \(appPassword.id), secret: ********)" }
}

/// `postern.password.v1.CreateAppPasswordResponse`: the secret, returned once.
public struct CreateAppPasswordResponse: ProtoMessage, Equatable, CustomStringConvertible {
    public var created: AppPasswordWithSecret
    public static let protoName = "postern.password.v1.CreateAppPasswordResponse"
    public init(_ created: AppPasswordWithSecret) { self.created = created }
    public var description: String { "CreateAppPasswordResponse(\(created))" }

    public init(protobuf bytes: UnsafeRawBufferPointer) throws(ProtoDecodingError) {
        let name = Self.protoName
        self = try ProtobufCBridge.unpack(
            bytes, as: name,
            unpack: postern__password__v1__create_app_password_response__unpack,
            free: postern__password__v1__create_app_password_response__free_unpacked
        ) { (c: borrowing Postern__Password__V1__CreateAppPasswordResponse) throws(ProtoDecodingError) in
            CreateAppPasswordResponse(AppPasswordWithSecret(
                appPassword: try AppPassword(field: c.app_password),
                secret: try ProtobufCBridge.string(c.secret, named: "secret", in: name)))
        }
    }

    public func protobuf() -> [UInt8] {
        var strings = CStringArena()
        var c = Postern__Password__V1__CreateAppPasswordResponse()
        postern__password__v1__create_app_password_response__init(&c)
        c.secret = strings.copy(created.secret)
        return created.appPassword.withC(strings: &strings) { appPassword in
            c.app_password = appPassword
            return ProtobufCBridge.pack(
                &c, size: postern__password__v1__create_app_password_response__get_packed_size,
                pack: postern__password__v1__create_app_password_response__pack)
        }
    }
}

/// `postern.password.v1.ViewAppPasswordResponse`.
public struct ViewAppPasswordResponse: ProtoMessage, Equatable, CustomStringConvertible {
    public var viewed: AppPasswordWithSecret
    public static let protoName = "postern.password.v1.ViewAppPasswordResponse"
    public init(_ viewed: AppPasswordWithSecret) { self.viewed = viewed }
    public var description: String { "ViewAppPasswordResponse(\(viewed))" }

    public init(protobuf bytes: UnsafeRawBufferPointer) throws(ProtoDecodingError) {
        let name = Self.protoName
        self = try ProtobufCBridge.unpack(
            bytes, as: name,
            unpack: postern__password__v1__view_app_password_response__unpack,
            free: postern__password__v1__view_app_password_response__free_unpacked
        ) { (c: borrowing Postern__Password__V1__ViewAppPasswordResponse) throws(ProtoDecodingError) in
            ViewAppPasswordResponse(AppPasswordWithSecret(
                appPassword: try AppPassword(field: c.app_password),
                secret: try ProtobufCBridge.string(c.secret, named: "secret", in: name)))
        }
    }

    public func protobuf() -> [UInt8] {
        var strings = CStringArena()
        var c = Postern__Password__V1__ViewAppPasswordResponse()
        postern__password__v1__view_app_password_response__init(&c)
        c.secret = strings.copy(viewed.secret)
        return viewed.appPassword.withC(strings: &strings) { appPassword in
            c.app_password = appPassword
            return ProtobufCBridge.pack(
                &c, size: postern__password__v1__view_app_password_response__get_packed_size,
                pack: postern__password__v1__view_app_password_response__pack)
        }
    }
}
