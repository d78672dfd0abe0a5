import CPosternProto

/// `postern.password.v1.SetPasswordRequest`. Its description never shows the password.
public struct SetPasswordRequest: ProtoMessage, Equatable, CustomStringConvertible {
    public var userID: String
    public var username: String
    public var password: String

    public static let protoName = "postern.password.v1.SetPasswordRequest"

    public init(userID: String = "", username: String = "", password: String) {
        self.userID = userID
        self.username = username
        self.password = password
    }

    public var description: String { "SetPasswordRequest(user_id: \(userID), username: \(username), password: ********)" }

    public init(protobuf bytes: UnsafeRawBufferPointer) throws(ProtoDecodingError) {
        let name = Self.protoName
        self = try ProtobufCBridge.unpack(
            bytes, as: name,
            unpack: postern__password__v1__set_password_request__unpack,
            free: postern__password__v1__set_password_request__free_unpacked
        ) { (c: borrowing Postern__Password__V1__SetPasswordRequest) throws(ProtoDecodingError) in
            SetPasswordRequest(
                userID: try ProtobufCBridge.string(c.user_id, named: "user_id", in: name),
                username: try ProtobufCBridge.string(c.username, named: "username", in: name),
                password: try ProtobufCBridge.string(c.password, named: "password", in: name))
        }
    }

    public func protobuf() -> [UInt8] {
        var strings = CStringArena()
        var c = Postern__Password__V1__SetPasswordRequest()
        postern__password__v1__set_password_request__init(&c)
        c.user_id = strings.copy(userID)
        c.username = strings.copy(username)
        c.password = strings.copy(password)
        return ProtobufCBridge.pack(
            &c, size: postern__password__v1__set_password_request__get_packed_size,
            pack: postern__password__v1__set_password_request__pack)
    }
}

/// `postern.password.v1.ChangePasswordRequest`. Its description never shows either password.
public struct ChangePasswordRequest: ProtoMessage, Equatable, CustomStringConvertible {
    public var userID: String
    public var username: String
    public var currentPassword: String
    public var newPassword: String

    public static let protoName = "postern.password.v1.ChangePasswordRequest"

    public init(userID: String = "", username: String = "", currentPassword: String, newPassword: String) {
        self.userID = userID
        self.username = username
        self.currentPassword = currentPassword
        self.newPassword = newPassword
    }

    public var description: String {
        "ChangePasswordRequest(user_id: \(userID), username: \(username), current_password: ********, new_password: ********)"
    }

    public init(protobuf bytes: UnsafeRawBufferPointer) throws(ProtoDecodingError) {
        let name = Self.protoName
        self = try ProtobufCBridge.unpack(
            bytes, as: name,
            unpack: postern__password__v1__change_password_request__unpack,
            free: postern__password__v1__change_password_request__free_unpacked
        ) { (c: borrowing Postern__Password__V1__ChangePasswordRequest) throws(ProtoDecodingError) in
            ChangePasswordRequest(
                userID: try ProtobufCBridge.string(c.user_id, named: "user_id", in: name),
                username: try ProtobufCBridge.string(c.username, named: "username", in: name),
                currentPassword: try ProtobufCBridge.string(c.current_password, named: "current_password", in: name),
                newPassword: try ProtobufCBridge.string(c.new_password, named: "new_password", in: name))
        }
    }

    public func protobuf() -> [UInt8] {
        var strings = CStringArena()
        var c = Postern__Password__V1__ChangePasswordRequest()
        postern__password__v1__change_password_request__init(&c)
        c.user_id = strings.copy(userID)
        c.username = strings.copy(username)
        c.current_password = strings.copy(currentPassword)
        c.new_password = strings.copy(newPassword)
        return ProtobufCBridge.pack(
            &c, size: postern__password__v1__change_password_request__get_packed_size,
            pack: postern__password__v1__change_password_request__pack)
    }
}


/// `postern.password.v1.SetPasswordResponse`.
public struct SetPasswordResponse: ProtoMessage, Equatable {
    public var passwordChangedUnixMilliseconds: Int64

    public static let protoName = "postern.password.v1.SetPasswordResponse"

    public init(passwordChangedUnixMilliseconds: Int64) { self.passwordChangedUnixMilliseconds = passwordChangedUnixMilliseconds }

    public init(protobuf bytes: UnsafeRawBufferPointer) throws(ProtoDecodingError) {
        self = try ProtobufCBridge.unpack(
            bytes, as: Self.protoName,
            unpack: postern__password__v1__set_password_response__unpack,
            free: postern__password__v1__set_password_response__free_unpacked
        ) { (c: borrowing Postern__Password__V1__SetPasswordResponse) throws(ProtoDecodingError) in
            SetPasswordResponse(passwordChangedUnixMilliseconds: c.password_changed_unix_ms)
        }
    }

    public func protobuf() -> [UInt8] {
        var c = Postern__Password__V1__SetPasswordResponse()
        postern__password__v1__set_password_response__init(&c)
        c.password_changed_unix_ms = passwordChangedUnixMilliseconds
        return ProtobufCBridge.pack(
            &c, size: postern__password__v1__set_password_response__get_packed_size,
            pack: postern__password__v1__set_password_response__pack)
    }
}

/// `postern.password.v1.ChangePasswordResponse`.
public struct ChangePasswordResponse: ProtoMessage, Equatable {
    public var passwordChangedUnixMilliseconds: Int64

    public static let protoName = "postern.password.v1.ChangePasswordResponse"

    public init(passwordChangedUnixMilliseconds: Int64) { self.passwordChangedUnixMilliseconds = passwordChangedUnixMilliseconds }

    public init(protobuf bytes: UnsafeRawBufferPointer) throws(ProtoDecodingError) {
        self = try ProtobufCBridge.unpack(
            bytes, as: Self.protoName,
            unpack: postern__password__v1__change_password_response__unpack,
            free: postern__password__v1__change_password_response__free_unpacked
        ) { (c: borrowing Postern__Password__V1__ChangePasswordResponse) throws(ProtoDecodingError) in
            ChangePasswordResponse(passwordChangedUnixMilliseconds: c.password_changed_unix_ms)
        }
    }

    public func protobuf() -> [UInt8] {
        var c = Postern__Password__V1__ChangePasswordResponse()
        postern__password__v1__change_password_response__init(&c)
        c.password_changed_unix_ms = passwordChangedUnixMilliseconds
        return ProtobufCBridge.pack(
            &c, size: postern__password__v1__change_password_response__get_packed_size,
            pack: postern__password__v1__change_password_response__pack)
    }
}

/// `postern.password.v1.Passwords`: its service name and method paths.
public enum PasswordsMethods {
    public static let service = "postern.password.v1.Passwords"
    public static let set = "/postern.password.v1.Passwords/Set"
    public static let change = "/postern.password.v1.Passwords/Change"
}
