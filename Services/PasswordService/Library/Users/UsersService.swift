import Foundation
import Logging
import PosternProtocol
import PosternStore
import PosternRPC
import PosternWire

/// `postern.password.v1.Users`: an admin provisions, reads, changes and removes users.
/// Every method is of class `admin`. Nothing here reads or returns a password hash.
public struct UsersService: RPCService {
    public static let serviceName = Postern.Password.V1.Users.serviceName

    public static let defaultPageSize = 100
    public static let maximumPageSize = 1000

    private let store: PasswordStore
    private let logger: Logger
    private let now: @Sendable () -> Date
    /// postern-history (`history.socket`): a deleted user's history goes with them.
    private let history: PeerClient?

    public init(
        store: PasswordStore, history: PeerClient? = nil, logger: Logger, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.store = store
        self.history = history
        self.logger = logger
        self.now = now
    }

    public func registerMethods(with router: inout RPCRouter) {
        router.register(Postern.Password.V1.Users.create) { (request: Postern.Password.V1.CreateUserRequest, _) in .later {
            try await create(request)
        } }
        router.register(Postern.Password.V1.Users.get) { (request: Postern.Password.V1.GetUserRequest, _) in .later {
            try await get(request)
        } }
        router.register(Postern.Password.V1.Users.list) { (request: Postern.Password.V1.ListUsersRequest, _) in .later {
            try await list(request)
        } }
        router.register(Postern.Password.V1.Users.update) { (request: Postern.Password.V1.UpdateUserRequest, _) in .later {
            try await update(request)
        } }
        router.register(Postern.Password.V1.Users.disable) { (request: Postern.Password.V1.DisableUserRequest, _) in .later {
            try await disable(request)
        } }
        router.register(Postern.Password.V1.Users.delete) { (request: Postern.Password.V1.DeleteUserRequest, _) in .later {
            try await delete(request)
        } }
        router.register(Postern.Password.V1.Users.import) { (request: Postern.Password.V1.ImportUsersRequest, _) in .later {
            try await importUsers(request)
        } }
    }

    func create(_ request: Postern.Password.V1.CreateUserRequest) async throws(RPCError) -> Postern.Password.V1.User {
        let user = try UserFieldRules.newUser(
            id: request.id, username: request.username, name: request.name, kind: request.type,
            attributesJSON: request.attributesJSON, inactive: request.inactive, ldapDN: request.ldapDN,
            kerberosPrincipal: request.kerberosPrincipal, now: now())
        try await stored { () throws(StoreError) in try await store.insert(user) }
        logger.notice("user_created", metadata: ["user_id": "\(user.id)", "username": "\(user.username)"])
        return Postern.Password.V1.User(user)
    }

    func get(_ request: Postern.Password.V1.GetUserRequest) async throws(RPCError) -> Postern.Password.V1.User {
        let found: StoredUser?
        switch (request.id.isEmpty, request.username.isEmpty) {
        case (false, true):
            found = try await stored { () throws(StoreError) in try await store.user(id: request.id) }
        case (true, false):
            found = try await stored { () throws(StoreError) in try await store.user(username: request.username) }
        default:
            throw RPCError(code: .invalidArgument, message: "give exactly one of id and username")
        }
        guard let found else { throw RPCError(code: .notFound, message: "no such user") }
        return Postern.Password.V1.User(found)
    }

    func list(_ request: Postern.Password.V1.ListUsersRequest) async throws(RPCError) -> Postern.Password.V1.ListUsersResponse {
        let size = request.pageSize == 0 ? Self.defaultPageSize : Int(request.pageSize)
        guard size <= Self.maximumPageSize else {
            throw RPCError(code: .invalidArgument, message: "page_size is \(size); at most \(Self.maximumPageSize)")
        }
        let after = try PageToken.username(in: request.pageToken)
        // One more than asked tells whether another page follows.
        let users = try await stored { () throws(StoreError) in try await store.users(after: after, limit: size + 1) }
        let page = Array(users.prefix(size))
        let next = users.count > size ? PageToken.after(page.last!.username) : ""
        return Postern.Password.V1.ListUsersResponse(users: page.map(Postern.Password.V1.User.init), nextPageToken: next)
    }

    func update(_ request: Postern.Password.V1.UpdateUserRequest) async throws(RPCError) -> Postern.Password.V1.User {
        guard !request.updateMask.isEmpty else {
            throw RPCError(code: .invalidArgument, message: "update_mask names no field to change")
        }
        var fields: Set<UserUpdateField> = []
        for name in request.updateMask {
            guard let field = UserUpdateField(rawValue: name) else {
                let known = UserUpdateField.allCases.map(\.rawValue).joined(separator: ", ")
                throw RPCError(
                    code: .invalidArgument,
                    message: "update_mask names \"\(RPCRouter.printable(name))\"; the fields are \(known)")
            }
            fields.insert(field)
        }
        // Validate everything before touching the row.
        let username = fields.contains(.username) ? try UserFieldRules.username(request.username) : nil
        let name = fields.contains(.name) ? try UserFieldRules.name(request.name) : nil
        let attributes = fields.contains(.attributesJSON) ? try UserFieldRules.attributes(request.attributesJSON) : nil
        // nil: not in the mask; .some(nil): cleared.
        let ldapDN: String?? = fields.contains(.ldapDN) ? .some(try UserFieldRules.reference(request.ldapDN, "ldap_dn")) : nil
        let principal: String?? = fields.contains(.kerberosPrincipal)
            ? .some(try UserFieldRules.reference(request.kerberosPrincipal, "kerberos_principal")) : nil
        let changed = now()
        let isActive: Bool? = fields.contains(.isActive) ? request.isActive : nil
        let user = try await stored { () throws(StoreError) in
            try await store.modify(id: request.id) { user in
                if let username { user.username = username }
                if let name { user.name = name }
                if let isActive { user.isActive = isActive }
                if let attributes { user.attributes = attributes }
                if let ldapDN { user.ldapDN = ldapDN }
                if let principal { user.kerberosPrincipal = principal }
                user.updatedAt = changed
            }
        }
        guard let user else { throw RPCError(code: .notFound, message: "no such user") }
        logger.notice(
            "user_updated",
            metadata: ["user_id": "\(user.id)", "fields": "\(fields.map(\.rawValue).sorted().joined(separator: ","))"])
        return Postern.Password.V1.User(user)
    }

    func disable(_ request: Postern.Password.V1.DisableUserRequest) async throws(RPCError) -> Postern.Password.V1.User {
        let changed = now()
        let user = try await stored { () throws(StoreError) in
            try await store.modify(id: request.id) { user in
                guard user.isActive else { return }
                user.isActive = false
                user.updatedAt = changed
            }
        }
        guard let user else { throw RPCError(code: .notFound, message: "no such user") }
        logger.notice("user_disabled", metadata: ["user_id": "\(user.id)"])
        return Postern.Password.V1.User(user)
    }

    func delete(_ request: Postern.Password.V1.DeleteUserRequest) async throws(RPCError) -> Postern.Password.V1.DeleteUserResponse {
        // History first: a user deleted with their history left behind would find it again if
        // the id were reused. If postern-history cannot forget, the user stays.
        if let history, try await stored({ () throws(StoreError) in try await store.user(id: request.id) }) != nil {
            do {
                _ = try await history.call(
                    Postern.History.V1.History.forgetUser, Postern.History.V1.ForgetUserRequest(userID: request.id))
            } catch {
                logger.warning(
                    "history_unavailable",
                    metadata: ["user_id": "\(request.id)", "socket": "\(history.socketPath)", "status": "\(error.code)", "error": "\(error.message)"])
                throw RPCError(code: .unavailable, message: "password history is unavailable, so the user was not deleted; try again")
            }
        }
        guard try await stored({ () throws(StoreError) in try await store.delete(id: request.id) }) else {
            throw RPCError(code: .notFound, message: "no such user")
        }
        logger.notice("user_deleted", metadata: ["user_id": "\(request.id)"])
        return Postern.Password.V1.DeleteUserResponse()
    }

    func importUsers(_ request: Postern.Password.V1.ImportUsersRequest) async throws(RPCError) -> Postern.Password.V1.ImportUsersResponse {
        let imported = try await UserImport(store: store).run(request, now: now())
        logger.notice("users_imported", metadata: ["count": "\(imported.count)"])
        return Postern.Password.V1.ImportUsersResponse(imported: UInt32(imported.count))
    }

    private func stored<T>(_ operation: () async throws(StoreError) -> T) async throws(RPCError) -> T {
        try await storeCall(logger, operation)
    }
}
