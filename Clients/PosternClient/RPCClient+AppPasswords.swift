extension RPCClient {
    /// `postern.password.v1.AppPasswords/Create`: the new app password and its secret.
    public func createAppPassword(_ request: Postern.Password.V1.CreateAppPasswordRequest) async throws(RPCError) -> Postern.Password.V1.CreateAppPasswordResponse {
        try await call(Postern.Password.V1.AppPasswords.create, request)
    }

    /// `AppPasswords/List`.
    public func appPasswords(userID: String = "", includeRevoked: Bool = false) async throws(RPCError) -> [Postern.Password.V1.AppPassword] {
        let response: Postern.Password.V1.ListAppPasswordsResponse = try await call(
            Postern.Password.V1.AppPasswords.list, Postern.Password.V1.ListAppPasswordsRequest(userID: userID, includeRevoked: includeRevoked))
        return response.appPasswords
    }

    /// `AppPasswords/View`: the app password with its secret (an event in the daemon's log).
    public func viewAppPassword(id: String) async throws(RPCError) -> Postern.Password.V1.ViewAppPasswordResponse {
        try await call(Postern.Password.V1.AppPasswords.view, Postern.Password.V1.ViewAppPasswordRequest(id: id))
    }

    /// `AppPasswords/Revoke`.
    public func revokeAppPassword(id: String) async throws(RPCError) -> Postern.Password.V1.AppPassword {
        try await call(Postern.Password.V1.AppPasswords.revoke, Postern.Password.V1.RevokeAppPasswordRequest(id: id))
    }

    /// `postern.password.v1.ServiceAccounts/Create`.
    public func createServiceAccount(_ request: Postern.Password.V1.CreateServiceAccountRequest) async throws(RPCError) -> Postern.Password.V1.CreateServiceAccountResponse {
        try await call(Postern.Password.V1.ServiceAccounts.create, request)
    }
}
