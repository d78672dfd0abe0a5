import Foundation
import Logging
import PosternProtocol
import PosternStore
import PosternRPC
import PosternWire

/// `postern.password.v1.ServiceAccounts/Create` (class `admin`): a user of type service account
/// with no usable password and one app password, stored together; it signs in only through a
/// stage's `app_password` backend (authentik's service accounts).
public struct ServiceAccountsService: RPCService {
    public static let serviceName = Postern.Password.V1.ServiceAccounts.serviceName
    /// authentik's default token lifetime for a new service account.
    static let defaultLifetime: TimeInterval = 360 * 86400

    private let store: PasswordStore
    private let secrets: AppPasswordSecrets
    private let logger: Logger

    init(store: PasswordStore, secrets: AppPasswordSecrets, logger: Logger) {
        self.store = store
        self.secrets = secrets
        self.logger = logger
    }

    public func registerMethods(with router: inout RPCRouter) {
        router.register(Postern.Password.V1.ServiceAccounts.create) { (request: Postern.Password.V1.CreateServiceAccountRequest, _) in .later {
            try await create(request)
        } }
    }

    func create(_ request: Postern.Password.V1.CreateServiceAccountRequest) async throws(RPCError) -> Postern.Password.V1.CreateServiceAccountResponse {
        let now = Date()
        let key = try secrets.requireKey()
        let user = try UserFieldRules.newUser(
            id: request.id, username: request.username, name: request.name, kind: .serviceAccount, attributesJSON: "{}",
            inactive: false, ldapDN: "", kerberosPrincipal: "", now: now)
        let expires: Int64 =
            request.nonExpiring ? 0
            : request.expiresUnixMs != 0 ? request.expiresUnixMs
            : Int64(((now.timeIntervalSince1970 + Self.defaultLifetime) * 1000).rounded())
        let (row, secret) = try secrets.make(
            userID: user.id, description: "service account \(user.username)", expiresUnixMilliseconds: expires, now: now)
        try await storeCall(logger) { () throws(StoreError) in try await store.insert(user, with: row, keyCheck: key.check) }
        logger.notice(
            "user_created", metadata: ["user_id": "\(user.id)", "username": "\(user.username)", "type": "service_account"])
        logger.notice("app_password_created", metadata: ["app_password_id": "\(row.id)", "user_id": "\(user.id)"])
        return Postern.Password.V1.CreateServiceAccountResponse(
            user: Postern.Password.V1.User(user), appPassword: AppPasswordSecrets.message(row), secret: secret)
    }
}
