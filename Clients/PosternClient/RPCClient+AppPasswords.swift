extension RPCClient {
    /// `postern.password.v1.AppPasswords/Create`: the new app password and its secret.
    public func createAppPassword(_ request: CreateAppPasswordRequest) async throws(RPCError) -> AppPasswordWithSecret {
        let response: CreateAppPasswordResponse = try await call(AppPasswordsMethods.create, request)
        return response.created
    }

    /// `AppPasswords/List`.
    public func appPasswords(userID: String = "", includeRevoked: Bool = false) async throws(RPCError) -> [AppPassword] {
        let response: ListAppPasswordsResponse = try await call(
            AppPasswordsMethods.list, ListAppPasswordsRequest(userID: userID, includeRevoked: includeRevoked))
        return response.appPasswords
    }

    /// `AppPasswords/View`: the app password with its secret (an event in the daemon's log).
    public func viewAppPassword(id: String) async throws(RPCError) -> AppPasswordWithSecret {
        let response: ViewAppPasswordResponse = try await call(AppPasswordsMethods.view, ViewAppPasswordRequest(id: id))
        return response.viewed
    }

    /// `AppPasswords/Revoke`.
    public func revokeAppPassword(id: String) async throws(RPCError) -> AppPassword {
        try await call(AppPasswordsMethods.revoke, RevokeAppPasswordRequest(id: id))
    }

    /// `postern.password.v1.ServiceAccounts/Create`.
    public func createServiceAccount(_ request: CreateServiceAccountRequest) async throws(RPCError) -> CreateServiceAccountResponse {
        try await call(ServiceAccountsMethods.create, request)
    }
}
