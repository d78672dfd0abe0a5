import CPosternProto

/// `postern.password.v1.CreateServiceAccountRequest`.
public struct CreateServiceAccountRequest: ProtoMessage, Equatable {
    /// Empty: a random id.
    public var id: String
    public var username: String
    public var name: String
    /// The app password does not expire; otherwise it does, at `expiresUnixMilliseconds` or
    /// 360 days on when that is 0.
    public var nonExpiring: Bool
    public var expiresUnixMilliseconds: Int64

    public static let protoName = "postern.password.v1.CreateServiceAccountRequest"

    public init(id: String = "", username: String, name: String = "", nonExpiring: Bool = false, expiresUnixMilliseconds: Int64 = 0) {
        self.id = id
        self.username = username
        self.name = name
        self.nonExpiring = nonExpiring
        self.expiresUnixMilliseconds = expiresUnixMilliseconds
    }

    public init(protobuf bytes: UnsafeRawBufferPointer) throws(ProtoDecodingError) {
        let name = Self.protoName
        self = try ProtobufCBridge.unpack(
            bytes, as: name,
            unpack: postern__password__v1__create_service_account_request__unpack,
            free: postern__password__v1__create_service_account_request__free_unpacked
        ) { (c: borrowing Postern__Password__V1__CreateServiceAccountRequest) throws(ProtoDecodingError) in
            CreateServiceAccountRequest(
                id: try ProtobufCBridge.string(c.id, named: "id", in: name),
                username: try ProtobufCBridge.string(c.username, named: "username", in: name),
                name: try ProtobufCBridge.string(c.name, named: "name", in: name),
                nonExpiring: c.non_expiring != 0, expiresUnixMilliseconds: c.expires_unix_ms)
        }
    }

    public func protobuf() -> [UInt8] {
        var strings = CStringArena()
        var c = Postern__Password__V1__CreateServiceAccountRequest()
        postern__password__v1__create_service_account_request__init(&c)
        c.id = strings.copy(id)
        c.username = strings.copy(username)
        c.name = strings.copy(name)
        c.non_expiring = nonExpiring ? 1 : 0
        c.expires_unix_ms = expiresUnixMilliseconds
        return ProtobufCBridge.pack(
            &c, size: postern__password__v1__create_service_account_request__get_packed_size,
            pack: postern__password__v1__create_service_account_request__pack)
    }
}

/// `postern.password.v1.CreateServiceAccountResponse`: the account and its app password, whose
/// secret is returned here once. Its description never shows the secret.
public struct CreateServiceAccountResponse: ProtoMessage, Equatable, CustomStringConvertible {
    public var user: User
    public var created: AppPasswordWithSecret

    public static let protoName = "postern.password.v1.CreateServiceAccountResponse"

    public init(user: User, created: AppPasswordWithSecret) {
        self.user = user
        self.created = created
    }

    public var description: String { "CreateServiceAccountResponse(user: \(user.id), \(created))" }

    public init(protobuf bytes: UnsafeRawBufferPointer) throws(ProtoDecodingError) {
        let name = Self.protoName
        self = try ProtobufCBridge.unpack(
            bytes, as: name,
            unpack: postern__password__v1__create_service_account_response__unpack,
            free: postern__password__v1__create_service_account_response__free_unpacked
        ) { (c: borrowing Postern__Password__V1__CreateServiceAccountResponse) throws(ProtoDecodingError) in
            let user = try c.user.map { (pointer) throws(ProtoDecodingError) in try User(c: pointer.pointee) } ?? User()
            return CreateServiceAccountResponse(
                user: user,
                created: AppPasswordWithSecret(
                    appPassword: try AppPassword(field: c.app_password),
                    secret: try ProtobufCBridge.string(c.secret, named: "secret", in: name)))
        }
    }

    public func protobuf() -> [UInt8] {
        var strings = CStringArena()
        var c = Postern__Password__V1__CreateServiceAccountResponse()
        postern__password__v1__create_service_account_response__init(&c)
        c.secret = strings.copy(created.secret)
        var cUser = Postern__Password__V1__User()
        postern__password__v1__user__init(&cUser)
        user.fill(&cUser, strings: &strings)
        return created.appPassword.withC(strings: &strings) { appPassword in
            withUnsafeMutablePointer(to: &cUser) { userPointer in
                c.app_password = appPassword
                c.user = userPointer
                return ProtobufCBridge.pack(
                    &c, size: postern__password__v1__create_service_account_response__get_packed_size,
                    pack: postern__password__v1__create_service_account_response__pack)
            }
        }
    }
}
