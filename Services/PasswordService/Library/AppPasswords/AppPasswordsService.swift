import Foundation
import Logging
import PosternProtocol
import PosternStore
import PosternRPC
import PosternWire

/// `postern.password.v1.AppPasswords`: an admin creates, lists, views and revokes app passwords
/// (docs/app-passwords.md). Every method is of class `admin`; only Create and View return a
/// secret, and each View is an event.
public struct AppPasswordsService: RPCService {
    public static let serviceName = Postern.Password.V1.AppPasswords.serviceName

    private let store: PasswordStore
    private let secrets: AppPasswordSecrets
    private let logger: Logger

    init(store: PasswordStore, secrets: AppPasswordSecrets, logger: Logger) {
        self.store = store
        self.secrets = secrets
        self.logger = logger
    }

    public func registerMethods(with router: inout RPCRouter) {
        router.register(Postern.Password.V1.AppPasswords.create) { (request: Postern.Password.V1.CreateAppPasswordRequest, _) in .later {
            try await create(request)
        } }
        router.register(Postern.Password.V1.AppPasswords.list) { (request: Postern.Password.V1.ListAppPasswordsRequest, _) in .later {
            try await list(request)
        } }
        router.register(Postern.Password.V1.AppPasswords.view) { (request: Postern.Password.V1.ViewAppPasswordRequest, _) in .later {
            try await view(request)
        } }
        router.register(Postern.Password.V1.AppPasswords.revoke) { (request: Postern.Password.V1.RevokeAppPasswordRequest, _) in .later {
            try await revoke(request)
        } }
    }

    func create(_ request: Postern.Password.V1.CreateAppPasswordRequest) async throws(RPCError) -> Postern.Password.V1.CreateAppPasswordResponse {
        let user: StoredUser?
        switch (request.userID.isEmpty, request.username.isEmpty) {
        case (false, true): user = try await stored { () throws(StoreError) in try await store.user(id: request.userID) }
        case (true, false): user = try await stored { () throws(StoreError) in try await store.user(username: request.username) }
        default: throw RPCError(code: .invalidArgument, message: "give exactly one of user_id and username")
        }
        guard let user else { throw RPCError(code: .notFound, message: "no such user") }
        let key = try secrets.requireKey()
        let (row, secret) = try secrets.make(
            userID: user.id, description: request.descriptionField, expiresUnixMilliseconds: request.expiresUnixMs, now: Date())
        try await stored { () throws(StoreError) in try await store.insert(row, keyCheck: key.check) }
        logger.notice("app_password_created", metadata: ["app_password_id": "\(row.id)", "user_id": "\(user.id)"])
        return Postern.Password.V1.CreateAppPasswordResponse(appPassword: AppPasswordSecrets.message(row), secret: secret)
    }

    func list(_ request: Postern.Password.V1.ListAppPasswordsRequest) async throws(RPCError) -> Postern.Password.V1.ListAppPasswordsResponse {
        let rows = try await stored { () throws(StoreError) in
            try await store.appPasswords(userID: request.userID.isEmpty ? nil : request.userID, includeRevoked: request.includeRevoked)
        }
        return Postern.Password.V1.ListAppPasswordsResponse(appPasswords: rows.map(AppPasswordSecrets.message))
    }

    func view(_ request: Postern.Password.V1.ViewAppPasswordRequest) async throws(RPCError) -> Postern.Password.V1.ViewAppPasswordResponse {
        guard let row = try await stored({ () throws(StoreError) in try await store.appPassword(id: request.id) }) else {
            throw RPCError(code: .notFound, message: "no such app password")
        }
        let secret = try secrets.open(row)
        logger.notice("app_password_viewed", metadata: ["app_password_id": "\(row.id)", "user_id": "\(row.userID)"])
        return Postern.Password.V1.ViewAppPasswordResponse(appPassword: AppPasswordSecrets.message(row), secret: secret)
    }

    func revoke(_ request: Postern.Password.V1.RevokeAppPasswordRequest) async throws(RPCError) -> Postern.Password.V1.AppPassword {
        guard let row = try await stored({ () throws(StoreError) in try await store.revokeAppPassword(id: request.id, at: Date()) })
        else { throw RPCError(code: .notFound, message: "no such app password") }
        logger.notice("app_password_revoked", metadata: ["app_password_id": "\(row.id)", "user_id": "\(row.userID)"])
        return AppPasswordSecrets.message(row)
    }

    private func stored<T>(_ operation: () async throws(StoreError) -> T) async throws(RPCError) -> T {
        try await storeCall(logger, operation)
    }
}
