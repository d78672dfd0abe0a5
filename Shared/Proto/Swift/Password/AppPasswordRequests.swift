import CPosternProto

/// `postern.password.v1.ListAppPasswordsRequest`.
public struct ListAppPasswordsRequest: ProtoMessage, Equatable {
    /// Empty for every user's.
    public var userID: String
    public var includeRevoked: Bool

    public static let protoName = "postern.password.v1.ListAppPasswordsRequest"

    public init(userID: String = "", includeRevoked: Bool = false) {
        self.userID = userID
        self.includeRevoked = includeRevoked
    }

    public init(protobuf bytes: UnsafeRawBufferPointer) throws(ProtoDecodingError) {
        let name = Self.protoName
        self = try ProtobufCBridge.unpack(
            bytes, as: name,
            unpack: postern__password__v1__list_app_passwords_request__unpack,
            free: postern__password__v1__list_app_passwords_request__free_unpacked
        ) { (c: borrowing Postern__Password__V1__ListAppPasswordsRequest) throws(ProtoDecodingError) in
            ListAppPasswordsRequest(
                userID: try ProtobufCBridge.string(c.user_id, named: "user_id", in: name), includeRevoked: c.include_revoked != 0)
        }
    }

    public func protobuf() -> [UInt8] {
        var strings = CStringArena()
        var c = Postern__Password__V1__ListAppPasswordsRequest()
        postern__password__v1__list_app_passwords_request__init(&c)
        c.user_id = strings.copy(userID)
        c.include_revoked = includeRevoked ? 1 : 0
        return ProtobufCBridge.pack(
            &c, size: postern__password__v1__list_app_passwords_request__get_packed_size,
            pack: postern__password__v1__list_app_passwords_request__pack)
    }
}

/// `postern.password.v1.ListAppPasswordsResponse`.
public struct ListAppPasswordsResponse: ProtoMessage, Equatable {
    public var appPasswords: [AppPassword]

    public static let protoName = "postern.password.v1.ListAppPasswordsResponse"

    public init(appPasswords: [AppPassword]) { self.appPasswords = appPasswords }

    public init(protobuf bytes: UnsafeRawBufferPointer) throws(ProtoDecodingError) {
        self = try ProtobufCBridge.unpack(
            bytes, as: Self.protoName,
            unpack: postern__password__v1__list_app_passwords_response__unpack,
            free: postern__password__v1__list_app_passwords_response__free_unpacked
        ) { (c: borrowing Postern__Password__V1__ListAppPasswordsResponse) throws(ProtoDecodingError) in
            var appPasswords: [AppPassword] = []
            appPasswords.reserveCapacity(c.n_app_passwords)
            for index in 0..<c.n_app_passwords {
                guard let entry = c.app_passwords[index] else { continue }
                appPasswords.append(try AppPassword(c: entry.pointee))
            }
            return ListAppPasswordsResponse(appPasswords: appPasswords)
        }
    }

    public func protobuf() -> [UInt8] {
        var strings = CStringArena()
        var c = Postern__Password__V1__ListAppPasswordsResponse()
        postern__password__v1__list_app_passwords_response__init(&c)
        return ProtobufCBridge.withRepeated(appPasswords, strings: &strings, fill: { appPassword, entry, strings in
            postern__password__v1__app_password__init(entry)
            appPassword.fill(&entry.pointee, strings: &strings)
        }) { pointers, count in
            c.n_app_passwords = count
            c.app_passwords = pointers
            return ProtobufCBridge.pack(
                &c, size: postern__password__v1__list_app_passwords_response__get_packed_size,
                pack: postern__password__v1__list_app_passwords_response__pack)
        }
    }
}

/// `postern.password.v1.ViewAppPasswordRequest`.
public struct ViewAppPasswordRequest: ProtoMessage, Equatable {
    public var id: String
    public static let protoName = "postern.password.v1.ViewAppPasswordRequest"
    public init(id: String) { self.id = id }

    public init(protobuf bytes: UnsafeRawBufferPointer) throws(ProtoDecodingError) {
        let name = Self.protoName
        self = try ProtobufCBridge.unpack(
            bytes, as: name,
            unpack: postern__password__v1__view_app_password_request__unpack,
            free: postern__password__v1__view_app_password_request__free_unpacked
        ) { (c: borrowing Postern__Password__V1__ViewAppPasswordRequest) throws(ProtoDecodingError) in
            ViewAppPasswordRequest(id: try ProtobufCBridge.string(c.id, named: "id", in: name))
        }
    }

    public func protobuf() -> [UInt8] {
        var strings = CStringArena()
        var c = Postern__Password__V1__ViewAppPasswordRequest()
        postern__password__v1__view_app_password_request__init(&c)
        c.id = strings.copy(id)
        return ProtobufCBridge.pack(
            &c, size: postern__password__v1__view_app_password_request__get_packed_size,
            pack: postern__password__v1__view_app_password_request__pack)
    }
}

/// `postern.password.v1.RevokeAppPasswordRequest`.
public struct RevokeAppPasswordRequest: ProtoMessage, Equatable {
    public var id: String
    public static let protoName = "postern.password.v1.RevokeAppPasswordRequest"
    public init(id: String) { self.id = id }

    public init(protobuf bytes: UnsafeRawBufferPointer) throws(ProtoDecodingError) {
        let name = Self.protoName
        self = try ProtobufCBridge.unpack(
            bytes, as: name,
            unpack: postern__password__v1__revoke_app_password_request__unpack,
            free: postern__password__v1__revoke_app_password_request__free_unpacked
        ) { (c: borrowing Postern__Password__V1__RevokeAppPasswordRequest) throws(ProtoDecodingError) in
            RevokeAppPasswordRequest(id: try ProtobufCBridge.string(c.id, named: "id", in: name))
        }
    }

    public func protobuf() -> [UInt8] {
        var strings = CStringArena()
        var c = Postern__Password__V1__RevokeAppPasswordRequest()
        postern__password__v1__revoke_app_password_request__init(&c)
        c.id = strings.copy(id)
        return ProtobufCBridge.pack(
            &c, size: postern__password__v1__revoke_app_password_request__get_packed_size,
            pack: postern__password__v1__revoke_app_password_request__pack)
    }
}

/// The methods of `postern.password.v1.AppPasswords` and `ServiceAccounts`.
public enum AppPasswordsMethods {
    public static let service = "postern.password.v1.AppPasswords"
    public static let create = "/postern.password.v1.AppPasswords/Create"
    public static let list = "/postern.password.v1.AppPasswords/List"
    public static let view = "/postern.password.v1.AppPasswords/View"
    public static let revoke = "/postern.password.v1.AppPasswords/Revoke"
}

public enum ServiceAccountsMethods {
    public static let service = "postern.password.v1.ServiceAccounts"
    public static let create = "/postern.password.v1.ServiceAccounts/Create"
}
