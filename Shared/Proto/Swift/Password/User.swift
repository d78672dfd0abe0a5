import CPosternProto

/// `postern.password.v1.User`: a user as the Users methods return it. Never carries the hash.
public struct User: ProtoMessage, Equatable {
    /// `postern.password.v1.UserType`.
    public enum Kind: Int32, Sendable, CaseIterable {
        /// In a request: internal.
        case unspecified = 0
        case `internal` = 1
        case serviceAccount = 2

        init(c: Postern__Password__V1__UserType) {
            self = Kind(rawValue: Int32(bitPattern: c.rawValue)) ?? .unspecified
        }

        var c: Postern__Password__V1__UserType {
            Postern__Password__V1__UserType(rawValue: UInt32(bitPattern: rawValue))
        }
    }

    public var id: String
    public var username: String
    public var name: String
    public var isActive: Bool
    public var kind: Kind
    public var attributesJSON: String
    public var hasUsablePassword: Bool
    /// Milliseconds since the Unix epoch; 0 when never set.
    public var passwordChangedUnixMilliseconds: Int64
    public var createdUnixMilliseconds: Int64
    public var updatedUnixMilliseconds: Int64
    public var ldapDN: String
    public var kerberosPrincipal: String

    public static let protoName = "postern.password.v1.User"

    public init(
        id: String = "", username: String = "", name: String = "", isActive: Bool = true, kind: Kind = .internal,
        attributesJSON: String = "{}", hasUsablePassword: Bool = false, passwordChangedUnixMilliseconds: Int64 = 0,
        createdUnixMilliseconds: Int64 = 0, updatedUnixMilliseconds: Int64 = 0, ldapDN: String = "",
        kerberosPrincipal: String = ""
    ) {
        self.id = id
        self.username = username
        self.name = name
        self.isActive = isActive
        self.kind = kind
        self.attributesJSON = attributesJSON
        self.hasUsablePassword = hasUsablePassword
        self.passwordChangedUnixMilliseconds = passwordChangedUnixMilliseconds
        self.createdUnixMilliseconds = createdUnixMilliseconds
        self.updatedUnixMilliseconds = updatedUnixMilliseconds
        self.ldapDN = ldapDN
        self.kerberosPrincipal = kerberosPrincipal
    }

    public init(protobuf bytes: UnsafeRawBufferPointer) throws(ProtoDecodingError) {
        self = try ProtobufCBridge.unpack(
            bytes, as: Self.protoName,
            unpack: postern__password__v1__user__unpack,
            free: postern__password__v1__user__free_unpacked
        ) { (c: borrowing Postern__Password__V1__User) throws(ProtoDecodingError) in
            try User(c: c)
        }
    }

    init(c: borrowing Postern__Password__V1__User) throws(ProtoDecodingError) {
        let name = Self.protoName
        self.init(
            id: try ProtobufCBridge.string(c.id, named: "id", in: name),
            username: try ProtobufCBridge.string(c.username, named: "username", in: name),
            name: try ProtobufCBridge.string(c.name, named: "name", in: name),
            isActive: c.is_active != 0,
            kind: Kind(c: c.type),
            attributesJSON: try ProtobufCBridge.string(c.attributes_json, named: "attributes_json", in: name),
            hasUsablePassword: c.has_usable_password != 0,
            passwordChangedUnixMilliseconds: c.password_changed_unix_ms,
            createdUnixMilliseconds: c.created_unix_ms,
            updatedUnixMilliseconds: c.updated_unix_ms,
            ldapDN: try ProtobufCBridge.string(c.ldap_dn, named: "ldap_dn", in: name),
            kerberosPrincipal: try ProtobufCBridge.string(c.kerberos_principal, named: "kerberos_principal", in: name))
    }

    /// Fills an initialised C struct; its strings live in `strings`.
    func fill(_ c: inout Postern__Password__V1__User, strings: inout CStringArena) {
        c.id = strings.copy(id)
        c.username = strings.copy(username)
        c.name = strings.copy(name)
        c.is_active = isActive ? 1 : 0
        c.type = kind.c
        c.attributes_json = strings.copy(attributesJSON)
        c.has_usable_password = hasUsablePassword ? 1 : 0
        c.password_changed_unix_ms = passwordChangedUnixMilliseconds
        c.created_unix_ms = createdUnixMilliseconds
        c.updated_unix_ms = updatedUnixMilliseconds
        c.ldap_dn = strings.copy(ldapDN)
        c.kerberos_principal = strings.copy(kerberosPrincipal)
    }

    public func protobuf() -> [UInt8] {
        var strings = CStringArena()
        var c = Postern__Password__V1__User()
        postern__password__v1__user__init(&c)
        fill(&c, strings: &strings)
        return ProtobufCBridge.pack(
            &c, size: postern__password__v1__user__get_packed_size, pack: postern__password__v1__user__pack)
    }
}
