import CPosternProto

/// `postern.password.v1.ImportedUser`: a user with the hash another system made. Its
/// description never shows the hash.
public struct ImportedUser: Equatable, Sendable, CustomStringConvertible {
    public var id: String
    public var username: String
    public var name: String
    public var kind: User.Kind
    public var attributesJSON: String
    public var inactive: Bool
    public var passwordHash: String
    public var passwordChangedUnixMilliseconds: Int64
    public var ldapDN: String
    public var kerberosPrincipal: String

    public init(
        id: String = "", username: String, name: String = "", kind: User.Kind = .unspecified, attributesJSON: String = "",
        inactive: Bool = false, passwordHash: String = "", passwordChangedUnixMilliseconds: Int64 = 0,
        ldapDN: String = "", kerberosPrincipal: String = ""
    ) {
        self.id = id
        self.username = username
        self.name = name
        self.kind = kind
        self.attributesJSON = attributesJSON
        self.inactive = inactive
        self.passwordHash = passwordHash
        self.passwordChangedUnixMilliseconds = passwordChangedUnixMilliseconds
        self.ldapDN = ldapDN
        self.kerberosPrincipal = kerberosPrincipal
    }

    public var description: String { "ImportedUser(id: \(id), username: \(username), password_hash: ********)" }

    init(c: borrowing Postern__Password__V1__ImportedUser) throws(ProtoDecodingError) {
        let name = "postern.password.v1.ImportedUser"
        self.init(
            id: try ProtobufCBridge.string(c.id, named: "id", in: name),
            username: try ProtobufCBridge.string(c.username, named: "username", in: name),
            name: try ProtobufCBridge.string(c.name, named: "name", in: name),
            kind: User.Kind(c: c.type),
            attributesJSON: try ProtobufCBridge.string(c.attributes_json, named: "attributes_json", in: name),
            inactive: c.inactive != 0,
            passwordHash: try ProtobufCBridge.string(c.password_hash, named: "password_hash", in: name),
            passwordChangedUnixMilliseconds: c.password_changed_unix_ms,
            ldapDN: try ProtobufCBridge.string(c.ldap_dn, named: "ldap_dn", in: name),
            kerberosPrincipal: try ProtobufCBridge.string(c.kerberos_principal, named: "kerberos_principal", in: name))
    }

    func fill(_ c: inout Postern__Password__V1__ImportedUser, strings: inout CStringArena) {
        c.id = strings.copy(id)
        c.username = strings.copy(username)
        c.name = strings.copy(name)
        c.type = kind.c
        c.attributes_json = strings.copy(attributesJSON)
        c.inactive = inactive ? 1 : 0
        c.password_hash = strings.copy(passwordHash)
        c.password_changed_unix_ms = passwordChangedUnixMilliseconds
        c.ldap_dn = strings.copy(ldapDN)
        c.kerberos_principal = strings.copy(kerberosPrincipal)
    }
}

/// `postern.password.v1.ImportUsersRequest`.
public struct ImportUsersRequest: ProtoMessage, Equatable {
    public var users: [ImportedUser]

    public static let protoName = "postern.password.v1.ImportUsersRequest"

    public init(users: [ImportedUser]) { self.users = users }

    public init(protobuf bytes: UnsafeRawBufferPointer) throws(ProtoDecodingError) {
        self = try ProtobufCBridge.unpack(
            bytes, as: Self.protoName,
            unpack: postern__password__v1__import_users_request__unpack,
            free: postern__password__v1__import_users_request__free_unpacked
        ) { (c: borrowing Postern__Password__V1__ImportUsersRequest) throws(ProtoDecodingError) in
            var users: [ImportedUser] = []
            users.reserveCapacity(c.n_users)
            for index in 0..<c.n_users {
                guard let user = c.users[index] else { continue }
                users.append(try ImportedUser(c: user.pointee))
            }
            return ImportUsersRequest(users: users)
        }
    }

    public func protobuf() -> [UInt8] {
        var strings = CStringArena()
        var c = Postern__Password__V1__ImportUsersRequest()
        postern__password__v1__import_users_request__init(&c)
        return ProtobufCBridge.withRepeated(users, strings: &strings, fill: { user, entry, strings in
            postern__password__v1__imported_user__init(entry)
            user.fill(&entry.pointee, strings: &strings)
        }) { pointers, count in
            c.n_users = count
            c.users = pointers
            return ProtobufCBridge.pack(
                &c, size: postern__password__v1__import_users_request__get_packed_size,
                pack: postern__password__v1__import_users_request__pack)
        }
    }
}

/// `postern.password.v1.ImportUsersResponse`.
public struct ImportUsersResponse: ProtoMessage, Equatable {
    public var imported: UInt32

    public static let protoName = "postern.password.v1.ImportUsersResponse"

    public init(imported: UInt32) { self.imported = imported }

    public init(protobuf bytes: UnsafeRawBufferPointer) throws(ProtoDecodingError) {
        self = try ProtobufCBridge.unpack(
            bytes, as: Self.protoName,
            unpack: postern__password__v1__import_users_response__unpack,
            free: postern__password__v1__import_users_response__free_unpacked
        ) { (c: borrowing Postern__Password__V1__ImportUsersResponse) throws(ProtoDecodingError) in
            ImportUsersResponse(imported: c.imported)
        }
    }

    public func protobuf() -> [UInt8] {
        var c = Postern__Password__V1__ImportUsersResponse()
        postern__password__v1__import_users_response__init(&c)
        c.imported = imported
        return ProtobufCBridge.pack(
            &c, size: postern__password__v1__import_users_response__get_packed_size,
            pack: postern__password__v1__import_users_response__pack)
    }
}
