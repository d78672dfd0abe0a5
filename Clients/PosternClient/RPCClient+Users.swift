extension RPCClient {
    /// `postern.password.v1.Users/Create`.
    public func createUser(_ request: Postern.Password.V1.CreateUserRequest) async throws(RPCError) -> Postern.Password.V1.User {
        try await call(Postern.Password.V1.Users.create, request)
    }

    /// `Users/Get` by id.
    public func user(id: String) async throws(RPCError) -> Postern.Password.V1.User {
        try await call(Postern.Password.V1.Users.get, Postern.Password.V1.GetUserRequest(id: id))
    }

    /// `Users/Get` by username.
    public func user(username: String) async throws(RPCError) -> Postern.Password.V1.User {
        try await call(Postern.Password.V1.Users.get, Postern.Password.V1.GetUserRequest(username: username))
    }

    /// `Users/List`: one page.
    public func listUsers(pageSize: UInt32 = 0, pageToken: String = "") async throws(RPCError) -> Postern.Password.V1.ListUsersResponse {
        try await call(Postern.Password.V1.Users.list, Postern.Password.V1.ListUsersRequest(pageSize: pageSize, pageToken: pageToken))
    }

    /// Every user, page after page.
    public func allUsers(pageSize: UInt32 = 0) async throws(RPCError) -> [Postern.Password.V1.User] {
        var users: [Postern.Password.V1.User] = []
        var token = ""
        repeat {
            let page = try await listUsers(pageSize: pageSize, pageToken: token)
            users += page.users
            token = page.nextPageToken
        } while !token.isEmpty
        return users
    }

    /// `Users/Update`.
    public func updateUser(_ request: Postern.Password.V1.UpdateUserRequest) async throws(RPCError) -> Postern.Password.V1.User {
        try await call(Postern.Password.V1.Users.update, request)
    }

    /// `Users/Disable`.
    public func disableUser(id: String) async throws(RPCError) -> Postern.Password.V1.User {
        try await call(Postern.Password.V1.Users.disable, Postern.Password.V1.DisableUserRequest(id: id))
    }

    /// `Users/Delete`.
    public func deleteUser(id: String) async throws(RPCError) {
        let _: Postern.Password.V1.DeleteUserResponse = try await call(Postern.Password.V1.Users.delete, Postern.Password.V1.DeleteUserRequest(id: id))
    }
}

extension RPCClient {
    /// `Users/Import`: the number of users imported.
    public func importUsers(_ request: Postern.Password.V1.ImportUsersRequest) async throws(RPCError) -> UInt32 {
        let response: Postern.Password.V1.ImportUsersResponse = try await call(Postern.Password.V1.Users.import, request)
        return response.imported
    }

    /// `Passwords/Set`.
    public func setPassword(_ request: Postern.Password.V1.SetPasswordRequest) async throws(RPCError) -> Postern.Password.V1.SetPasswordResponse {
        try await call(Postern.Password.V1.Passwords.set, request)
    }

    /// `Passwords/Change`.
    public func changePassword(_ request: Postern.Password.V1.ChangePasswordRequest) async throws(RPCError) -> Postern.Password.V1.ChangePasswordResponse {
        try await call(Postern.Password.V1.Passwords.change, request)
    }
}

extension RPCClient {
    /// `Stages/Create`, or `Stages/Update` when `replacing`.
    public func putStage(_ stage: Postern.Password.V1.PasswordStage, replacing: Bool) async throws(RPCError) -> Postern.Password.V1.PasswordStage {
        replacing
            ? try await call(Postern.Password.V1.Stages.update, Postern.Password.V1.UpdateStageRequest(stage: stage))
            : try await call(Postern.Password.V1.Stages.create, Postern.Password.V1.CreateStageRequest(stage: stage))
    }

    /// `Stages/Get`.
    public func stage(named name: String) async throws(RPCError) -> Postern.Password.V1.PasswordStage {
        try await call(Postern.Password.V1.Stages.get, Postern.Password.V1.GetStageRequest(name: name))
    }

    /// `Stages/List`.
    public func stages() async throws(RPCError) -> [Postern.Password.V1.PasswordStage] {
        let response: Postern.Password.V1.ListStagesResponse = try await call(Postern.Password.V1.Stages.list, Postern.Password.V1.ListStagesRequest())
        return response.stages
    }

    /// `Stages/Delete`.
    public func deleteStage(named name: String) async throws(RPCError) {
        let _: Postern.Password.V1.DeleteStageResponse = try await call(Postern.Password.V1.Stages.delete, Postern.Password.V1.DeleteStageRequest(name: name))
    }

    /// `Authentication/Authenticate`.
    public func authenticate(_ request: Postern.Password.V1.AuthenticateRequest) async throws(RPCError) -> Postern.Password.V1.AuthenticateResponse {
        try await call(Postern.Password.V1.Authentication.authenticate, request)
    }
}

extension RPCClient {
    /// `LDAPSources/Create`, or `LDAPSources/Update` when `replacing`.
    public func putLDAPSource(_ source: Postern.Password.V1.LDAPSource, replacing: Bool) async throws(RPCError) -> Postern.Password.V1.LDAPSource {
        replacing
            ? try await call(Postern.Password.V1.LDAPSources.update, Postern.Password.V1.UpdateLDAPSourceRequest(source: source))
            : try await call(Postern.Password.V1.LDAPSources.create, Postern.Password.V1.CreateLDAPSourceRequest(source: source))
    }

    /// `LDAPSources/Get`.
    public func ldapSource(named name: String) async throws(RPCError) -> Postern.Password.V1.LDAPSource {
        try await call(Postern.Password.V1.LDAPSources.get, Postern.Password.V1.GetLDAPSourceRequest(name: name))
    }

    /// `LDAPSources/List`.
    public func ldapSources() async throws(RPCError) -> [Postern.Password.V1.LDAPSource] {
        let response: Postern.Password.V1.ListLDAPSourcesResponse = try await call(
            Postern.Password.V1.LDAPSources.list, Postern.Password.V1.ListLDAPSourcesRequest())
        return response.sources
    }

    /// `LDAPSources/Delete`.
    public func deleteLDAPSource(named name: String) async throws(RPCError) {
        let _: Postern.Password.V1.DeleteLDAPSourceResponse = try await call(
            Postern.Password.V1.LDAPSources.delete, Postern.Password.V1.DeleteLDAPSourceRequest(name: name))
    }

    /// `LDAPSources/Sync`.
    public func syncLDAPSource(named name: String, dryRun: Bool) async throws(RPCError) -> Postern.Password.V1.SyncLDAPSourceResponse {
        try await call(Postern.Password.V1.LDAPSources.sync, Postern.Password.V1.SyncLDAPSourceRequest(name: name, dryRun: dryRun))
    }
}

extension RPCClient {
    /// `KerberosSources/Create`, or `KerberosSources/Update` when `replacing`.
    public func putKerberosSource(_ source: Postern.Password.V1.KerberosSource, replacing: Bool) async throws(RPCError) -> Postern.Password.V1.KerberosSource {
        replacing
            ? try await call(Postern.Password.V1.KerberosSources.update, Postern.Password.V1.UpdateKerberosSourceRequest(source: source))
            : try await call(Postern.Password.V1.KerberosSources.create, Postern.Password.V1.CreateKerberosSourceRequest(source: source))
    }

    /// `KerberosSources/Get`.
    public func kerberosSource(named name: String) async throws(RPCError) -> Postern.Password.V1.KerberosSource {
        try await call(Postern.Password.V1.KerberosSources.get, Postern.Password.V1.GetKerberosSourceRequest(name: name))
    }

    /// `KerberosSources/List`.
    public func kerberosSources() async throws(RPCError) -> [Postern.Password.V1.KerberosSource] {
        let response: Postern.Password.V1.ListKerberosSourcesResponse = try await call(
            Postern.Password.V1.KerberosSources.list, Postern.Password.V1.ListKerberosSourcesRequest())
        return response.sources
    }

    /// `KerberosSources/Delete`.
    public func deleteKerberosSource(named name: String) async throws(RPCError) {
        let _: Postern.Password.V1.DeleteKerberosSourceResponse = try await call(
            Postern.Password.V1.KerberosSources.delete, Postern.Password.V1.DeleteKerberosSourceRequest(name: name))
    }
}
