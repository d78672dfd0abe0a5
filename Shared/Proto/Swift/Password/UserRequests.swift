import CPosternProto

/// `postern.password.v1.CreateUserRequest`.
public struct CreateUserRequest: ProtoMessage, Equatable {
    /// Empty: the daemon makes one.
    public var id: String
    public var username: String
    public var name: String
    public var kind: User.Kind
    /// Empty: `{}`.
    public var attributesJSON: String
    public var inactive: Bool
    public var ldapDN: String
    public var kerberosPrincipal: String

    public static let protoName = "postern.password.v1.CreateUserRequest"

    public init(
        id: String = "", username: String, name: String = "", kind: User.Kind = .unspecified,
        attributesJSON: String = "", inactive: Bool = false, ldapDN: String = "", kerberosPrincipal: String = ""
    ) {
        self.id = id
        self.username = username
        self.name = name
        self.kind = kind
        self.attributesJSON = attributesJSON
        self.inactive = inactive
        self.ldapDN = ldapDN
        self.kerberosPrincipal = kerberosPrincipal
    }

    public init(protobuf bytes: UnsafeRawBufferPointer) throws(ProtoDecodingError) {
        let name = Self.protoName
        self = try ProtobufCBridge.unpack(
            bytes, as: name,
            unpack: postern__password__v1__create_user_request__unpack,
            free: postern__password__v1__create_user_request__free_unpacked
        ) { (c: borrowing Postern__Password__V1__CreateUserRequest) throws(ProtoDecodingError) in
            CreateUserRequest(
                id: try ProtobufCBridge.string(c.id, named: "id", in: name),
                username: try ProtobufCBridge.string(c.username, named: "username", in: name),
                name: try ProtobufCBridge.string(c.name, named: "name", in: name),
                kind: User.Kind(c: c.type),
                attributesJSON: try ProtobufCBridge.string(c.attributes_json, named: "attributes_json", in: name),
                inactive: c.inactive != 0,
                ldapDN: try ProtobufCBridge.string(c.ldap_dn, named: "ldap_dn", in: name),
                kerberosPrincipal: try ProtobufCBridge.string(c.kerberos_principal, named: "kerberos_principal", in: name))
        }
    }

    public func protobuf() -> [UInt8] {
        var strings = CStringArena()
        var c = Postern__Password__V1__CreateUserRequest()
        postern__password__v1__create_user_request__init(&c)
        c.id = strings.copy(id)
        c.username = strings.copy(username)
        c.name = strings.copy(name)
        c.type = kind.c
        c.attributes_json = strings.copy(attributesJSON)
        c.inactive = inactive ? 1 : 0
        c.ldap_dn = strings.copy(ldapDN)
        c.kerberos_principal = strings.copy(kerberosPrincipal)
        return ProtobufCBridge.pack(
            &c, size: postern__password__v1__create_user_request__get_packed_size,
            pack: postern__password__v1__create_user_request__pack)
    }
}

/// `postern.password.v1.GetUserRequest`: exactly one of `id` and `username`.
public struct GetUserRequest: ProtoMessage, Equatable {
    public var id: String
    public var username: String

    public static let protoName = "postern.password.v1.GetUserRequest"

    public init(id: String = "", username: String = "") {
        self.id = id
        self.username = username
    }

    public init(protobuf bytes: UnsafeRawBufferPointer) throws(ProtoDecodingError) {
        let name = Self.protoName
        self = try ProtobufCBridge.unpack(
            bytes, as: name,
            unpack: postern__password__v1__get_user_request__unpack,
            free: postern__password__v1__get_user_request__free_unpacked
        ) { (c: borrowing Postern__Password__V1__GetUserRequest) throws(ProtoDecodingError) in
            GetUserRequest(
                id: try ProtobufCBridge.string(c.id, named: "id", in: name),
                username: try ProtobufCBridge.string(c.username, named: "username", in: name))
        }
    }

    public func protobuf() -> [UInt8] {
        var strings = CStringArena()
        var c = Postern__Password__V1__GetUserRequest()
        postern__password__v1__get_user_request__init(&c)
        c.id = strings.copy(id)
        c.username = strings.copy(username)
        return ProtobufCBridge.pack(
            &c, size: postern__password__v1__get_user_request__get_packed_size,
            pack: postern__password__v1__get_user_request__pack)
    }
}

/// `postern.password.v1.ListUsersRequest`.
public struct ListUsersRequest: ProtoMessage, Equatable {
    /// 1…1000; 0 means the default (100).
    public var pageSize: UInt32
    public var pageToken: String

    public static let protoName = "postern.password.v1.ListUsersRequest"

    public init(pageSize: UInt32 = 0, pageToken: String = "") {
        self.pageSize = pageSize
        self.pageToken = pageToken
    }

    public init(protobuf bytes: UnsafeRawBufferPointer) throws(ProtoDecodingError) {
        let name = Self.protoName
        self = try ProtobufCBridge.unpack(
            bytes, as: name,
            unpack: postern__password__v1__list_users_request__unpack,
            free: postern__password__v1__list_users_request__free_unpacked
        ) { (c: borrowing Postern__Password__V1__ListUsersRequest) throws(ProtoDecodingError) in
            ListUsersRequest(
                pageSize: c.page_size,
                pageToken: try ProtobufCBridge.string(c.page_token, named: "page_token", in: name))
        }
    }

    public func protobuf() -> [UInt8] {
        var strings = CStringArena()
        var c = Postern__Password__V1__ListUsersRequest()
        postern__password__v1__list_users_request__init(&c)
        c.page_size = pageSize
        c.page_token = strings.copy(pageToken)
        return ProtobufCBridge.pack(
            &c, size: postern__password__v1__list_users_request__get_packed_size,
            pack: postern__password__v1__list_users_request__pack)
    }
}

/// `postern.password.v1.ListUsersResponse`.
public struct ListUsersResponse: ProtoMessage, Equatable {
    public var users: [User]
    /// Empty on the last page.
    public var nextPageToken: String

    public static let protoName = "postern.password.v1.ListUsersResponse"

    public init(users: [User], nextPageToken: String = "") {
        self.users = users
        self.nextPageToken = nextPageToken
    }

    public init(protobuf bytes: UnsafeRawBufferPointer) throws(ProtoDecodingError) {
        let name = Self.protoName
        self = try ProtobufCBridge.unpack(
            bytes, as: name,
            unpack: postern__password__v1__list_users_response__unpack,
            free: postern__password__v1__list_users_response__free_unpacked
        ) { (c: borrowing Postern__Password__V1__ListUsersResponse) throws(ProtoDecodingError) in
            var users: [User] = []
            users.reserveCapacity(c.n_users)
            for index in 0..<c.n_users {
                guard let user = c.users[index] else { continue }
                users.append(try User(c: user.pointee))
            }
            return ListUsersResponse(
                users: users,
                nextPageToken: try ProtobufCBridge.string(c.next_page_token, named: "next_page_token", in: name))
        }
    }

    public func protobuf() -> [UInt8] {
        var strings = CStringArena()
        var c = Postern__Password__V1__ListUsersResponse()
        postern__password__v1__list_users_response__init(&c)
        c.next_page_token = strings.copy(nextPageToken)
        return ProtobufCBridge.withRepeated(users, strings: &strings, fill: { user, entry, strings in
            postern__password__v1__user__init(entry)
            user.fill(&entry.pointee, strings: &strings)
        }) { pointers, count in
            c.n_users = count
            c.users = pointers
            return ProtobufCBridge.pack(
                &c, size: postern__password__v1__list_users_response__get_packed_size,
                pack: postern__password__v1__list_users_response__pack)
        }
    }
}
