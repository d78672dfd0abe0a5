import CPosternProto

/// `postern.password.v1.UpdateUserRequest`: the fields `updateMask` names take the values
/// given here; the others keep theirs.
public struct UpdateUserRequest: ProtoMessage, Equatable {
    /// The names `updateMask` may hold.
    public enum Field: String, Sendable, CaseIterable {
        case username, name
        case isActive = "is_active"
        case attributesJSON = "attributes_json"
        case ldapDN = "ldap_dn"
        case kerberosPrincipal = "kerberos_principal"
    }

    public var id: String
    public var updateMask: [String]
    public var username: String
    public var name: String
    public var isActive: Bool
    public var attributesJSON: String
    public var ldapDN: String
    public var kerberosPrincipal: String

    public static let protoName = "postern.password.v1.UpdateUserRequest"

    public init(
        id: String, updateMask: [String] = [], username: String = "", name: String = "", isActive: Bool = false,
        attributesJSON: String = "", ldapDN: String = "", kerberosPrincipal: String = ""
    ) {
        self.id = id
        self.updateMask = updateMask
        self.username = username
        self.name = name
        self.isActive = isActive
        self.attributesJSON = attributesJSON
        self.ldapDN = ldapDN
        self.kerberosPrincipal = kerberosPrincipal
    }

    public init(protobuf bytes: UnsafeRawBufferPointer) throws(ProtoDecodingError) {
        let name = Self.protoName
        self = try ProtobufCBridge.unpack(
            bytes, as: name,
            unpack: postern__password__v1__update_user_request__unpack,
            free: postern__password__v1__update_user_request__free_unpacked
        ) { (c: borrowing Postern__Password__V1__UpdateUserRequest) throws(ProtoDecodingError) in
            var mask: [String] = []
            mask.reserveCapacity(c.n_update_mask)
            for index in 0..<c.n_update_mask {
                mask.append(try ProtobufCBridge.string(c.update_mask[index], named: "update_mask", in: name))
            }
            return UpdateUserRequest(
                id: try ProtobufCBridge.string(c.id, named: "id", in: name),
                updateMask: mask,
                username: try ProtobufCBridge.string(c.username, named: "username", in: name),
                name: try ProtobufCBridge.string(c.name, named: "name", in: name),
                isActive: c.is_active != 0,
                attributesJSON: try ProtobufCBridge.string(c.attributes_json, named: "attributes_json", in: name),
                ldapDN: try ProtobufCBridge.string(c.ldap_dn, named: "ldap_dn", in: name),
                kerberosPrincipal: try ProtobufCBridge.string(c.kerberos_principal, named: "kerberos_principal", in: name))
        }
    }

    public func protobuf() -> [UInt8] {
        var strings = CStringArena()
        let mask = UnsafeMutableBufferPointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: max(updateMask.count, 1))
        defer { mask.deallocate() }
        for (index, field) in updateMask.enumerated() { mask[index] = strings.copy(field) }
        var c = Postern__Password__V1__UpdateUserRequest()
        postern__password__v1__update_user_request__init(&c)
        c.id = strings.copy(id)
        c.n_update_mask = updateMask.count
        c.update_mask = updateMask.isEmpty ? nil : mask.baseAddress
        c.username = strings.copy(username)
        c.name = strings.copy(name)
        c.is_active = isActive ? 1 : 0
        c.attributes_json = strings.copy(attributesJSON)
        c.ldap_dn = strings.copy(ldapDN)
        c.kerberos_principal = strings.copy(kerberosPrincipal)
        return ProtobufCBridge.pack(
            &c, size: postern__password__v1__update_user_request__get_packed_size,
            pack: postern__password__v1__update_user_request__pack)
    }
}

/// `postern.password.v1.DisableUserRequest`.
public struct DisableUserRequest: ProtoMessage, Equatable {
    public var id: String

    public static let protoName = "postern.password.v1.DisableUserRequest"

    public init(id: String) { self.id = id }

    public init(protobuf bytes: UnsafeRawBufferPointer) throws(ProtoDecodingError) {
        let name = Self.protoName
        self = try ProtobufCBridge.unpack(
            bytes, as: name,
            unpack: postern__password__v1__disable_user_request__unpack,
            free: postern__password__v1__disable_user_request__free_unpacked
        ) { (c: borrowing Postern__Password__V1__DisableUserRequest) throws(ProtoDecodingError) in
            DisableUserRequest(id: try ProtobufCBridge.string(c.id, named: "id", in: name))
        }
    }

    public func protobuf() -> [UInt8] {
        var strings = CStringArena()
        var c = Postern__Password__V1__DisableUserRequest()
        postern__password__v1__disable_user_request__init(&c)
        c.id = strings.copy(id)
        return ProtobufCBridge.pack(
            &c, size: postern__password__v1__disable_user_request__get_packed_size,
            pack: postern__password__v1__disable_user_request__pack)
    }
}

/// `postern.password.v1.DeleteUserRequest`.
public struct DeleteUserRequest: ProtoMessage, Equatable {
    public var id: String

    public static let protoName = "postern.password.v1.DeleteUserRequest"

    public init(id: String) { self.id = id }

    public init(protobuf bytes: UnsafeRawBufferPointer) throws(ProtoDecodingError) {
        let name = Self.protoName
        self = try ProtobufCBridge.unpack(
            bytes, as: name,
            unpack: postern__password__v1__delete_user_request__unpack,
            free: postern__password__v1__delete_user_request__free_unpacked
        ) { (c: borrowing Postern__Password__V1__DeleteUserRequest) throws(ProtoDecodingError) in
            DeleteUserRequest(id: try ProtobufCBridge.string(c.id, named: "id", in: name))
        }
    }

    public func protobuf() -> [UInt8] {
        var strings = CStringArena()
        var c = Postern__Password__V1__DeleteUserRequest()
        postern__password__v1__delete_user_request__init(&c)
        c.id = strings.copy(id)
        return ProtobufCBridge.pack(
            &c, size: postern__password__v1__delete_user_request__get_packed_size,
            pack: postern__password__v1__delete_user_request__pack)
    }
}

/// `postern.password.v1.DeleteUserResponse`: no fields.
public struct DeleteUserResponse: ProtoMessage, Equatable {
    public static let protoName = "postern.password.v1.DeleteUserResponse"

    public init() {}

    public init(protobuf bytes: UnsafeRawBufferPointer) throws(ProtoDecodingError) {
        self = try ProtobufCBridge.unpack(
            bytes, as: Self.protoName,
            unpack: postern__password__v1__delete_user_response__unpack,
            free: postern__password__v1__delete_user_response__free_unpacked
        ) { (_: borrowing Postern__Password__V1__DeleteUserResponse) throws(ProtoDecodingError) in
            DeleteUserResponse()
        }
    }

    public func protobuf() -> [UInt8] {
        var c = Postern__Password__V1__DeleteUserResponse()
        postern__password__v1__delete_user_response__init(&c)
        return ProtobufCBridge.pack(
            &c, size: postern__password__v1__delete_user_response__get_packed_size,
            pack: postern__password__v1__delete_user_response__pack)
    }
}

/// `postern.password.v1.Users`: its service name and method paths.
public enum UsersMethods {
    public static let service = "postern.password.v1.Users"
    public static let create = "/postern.password.v1.Users/Create"
    public static let get = "/postern.password.v1.Users/Get"
    public static let list = "/postern.password.v1.Users/List"
    public static let update = "/postern.password.v1.Users/Update"
    public static let disable = "/postern.password.v1.Users/Disable"
    public static let delete = "/postern.password.v1.Users/Delete"
    public static let `import` = "/postern.password.v1.Users/Import"
}
