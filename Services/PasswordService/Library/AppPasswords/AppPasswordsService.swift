import Foundation
import Logging
import PosternProtocol
import PosternStore
import PosternWire

/// `postern.password.v1.AppPasswords`: an admin creates, lists, views and revokes app passwords
/// (docs/app-passwords.md). Every method is of class `admin`; only Create and View return a
/// secret, and each View is an event.
public struct AppPasswordsService: RPCService {
    public static let serviceName = AppPasswordsMethods.service

    private let store: PasswordStore
    private let secrets: AppPasswordSecrets
    private let logger: Logger

    init(store: PasswordStore, secrets: AppPasswordSecrets, logger: Logger) {
        self.store = store
        self.secrets = secrets
        self.logger = logger
    }

    public func registerMethods(with router: inout RPCRouter) {
        router.register(AppPasswordsMethods.create, access: .admin) { (request: CreateAppPasswordRequest, _) in
            try await create(request)
        }
        router.register(AppPasswordsMethods.list, access: .admin) { (request: ListAppPasswordsRequest, _) in
            try await list(request)
        }
        router.register(AppPasswordsMethods.view, access: .admin) { (request: ViewAppPasswordRequest, _) in
            try await view(request)
        }
        router.register(AppPasswordsMethods.revoke, access: .admin) { (request: RevokeAppPasswordRequest, _) in
            try await revoke(request)
        }
    }

    func create(_ request: CreateAppPasswordRequest) async throws(RPCError) -> CreateAppPasswordResponse {
        let user: StoredUser?
        switch (request.userID.isEmpty, request.username.isEmpty) {
        case (false, true): user = try await stored { () throws(StoreError) in try await store.user(id: request.userID) }
        case (true, false): user = try await stored { () throws(StoreError) in try await store.user(username: request.username) }
        default: throw RPCError(code: .invalidArgument, message: "give exactly one of user_id and username")
        }
        guard let user else { throw RPCError(code: .notFound, message: "no such user") }
        let key = try secrets.requireKey()
        let (row, secret) = try secrets.make(
            userID: user.id, description: request.description, expiresUnixMilliseconds: request.expiresUnixMilliseconds, now: Date())
        try await stored { () throws(StoreError) in try await store.insert(row, keyCheck: key.check) }
        logger.notice("app_password_created", metadata: ["app_password_id": "\(row.id)", "user_id": "\(user.id)"])
        return CreateAppPasswordResponse(AppPasswordWithSecret(appPassword: AppPasswordSecrets.message(row), secret: secret))
    }

    func list(_ request: ListAppPasswordsRequest) async throws(RPCError) -> ListAppPasswordsResponse {
        let rows = try await stored { () throws(StoreError) in
            try await store.appPasswords(userID: request.userID.isEmpty ? nil : request.userID, includeRevoked: request.includeRevoked)
        }
        return ListAppPasswordsResponse(appPasswords: rows.map(AppPasswordSecrets.message))
    }

    func view(_ request: ViewAppPasswordRequest) async throws(RPCError) -> ViewAppPasswordResponse {
        guard let row = try await stored({ () throws(StoreError) in try await store.appPassword(id: request.id) }) else {
            throw RPCError(code: .notFound, message: "no such app password")
        }
        let secret = try secrets.open(row)
        logger.notice("app_password_viewed", metadata: ["app_password_id": "\(row.id)", "user_id": "\(row.userID)"])
        return ViewAppPasswordResponse(AppPasswordWithSecret(appPassword: AppPasswordSecrets.message(row), secret: secret))
    }

    func revoke(_ request: RevokeAppPasswordRequest) async throws(RPCError) -> AppPassword {
        guard let row = try await stored({ () throws(StoreError) in try await store.revokeAppPassword(id: request.id, at: Date()) })
        else { throw RPCError(code: .notFound, message: "no such app password") }
        logger.notice("app_password_revoked", metadata: ["app_password_id": "\(row.id)", "user_id": "\(row.userID)"])
        return AppPasswordSecrets.message(row)
    }

    private func stored<T>(_ operation: () async throws(StoreError) -> T) async throws(RPCError) -> T {
        try await storeCall(logger, operation)
    }
}
