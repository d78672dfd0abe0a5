extension RPCClient {
    /// `postern.password.v1.Users/Create`.
    public func createUser(_ request: CreateUserRequest) async throws(RPCError) -> User {
        try await call(UsersMethods.create, request)
    }

    /// `Users/Get` by id.
    public func user(id: String) async throws(RPCError) -> User {
        try await call(UsersMethods.get, GetUserRequest(id: id))
    }

    /// `Users/Get` by username.
    public func user(username: String) async throws(RPCError) -> User {
        try await call(UsersMethods.get, GetUserRequest(username: username))
    }

    /// `Users/List`: one page.
    public func listUsers(pageSize: UInt32 = 0, pageToken: String = "") async throws(RPCError) -> ListUsersResponse {
        try await call(UsersMethods.list, ListUsersRequest(pageSize: pageSize, pageToken: pageToken))
    }

    /// Every user, page after page.
    public func allUsers(pageSize: UInt32 = 0) async throws(RPCError) -> [User] {
        var users: [User] = []
        var token = ""
        repeat {
            let page = try await listUsers(pageSize: pageSize, pageToken: token)
            users += page.users
            token = page.nextPageToken
        } while !token.isEmpty
        return users
    }

    /// `Users/Update`.
    public func updateUser(_ request: UpdateUserRequest) async throws(RPCError) -> User {
        try await call(UsersMethods.update, request)
    }

    /// `Users/Disable`.
    public func disableUser(id: String) async throws(RPCError) -> User {
        try await call(UsersMethods.disable, DisableUserRequest(id: id))
    }

    /// `Users/Delete`.
    public func deleteUser(id: String) async throws(RPCError) {
        let _: DeleteUserResponse = try await call(UsersMethods.delete, DeleteUserRequest(id: id))
    }
}

extension RPCClient {
    /// `Users/Import`: the number of users imported.
    public func importUsers(_ request: ImportUsersRequest) async throws(RPCError) -> UInt32 {
        let response: ImportUsersResponse = try await call(UsersMethods.import, request, timeout: .seconds(600))
        return response.imported
    }

    /// `Passwords/Set`.
    public func setPassword(_ request: SetPasswordRequest) async throws(RPCError) -> SetPasswordResponse {
        try await call(PasswordsMethods.set, request)
    }

    /// `Passwords/Change`.
    public func changePassword(_ request: ChangePasswordRequest) async throws(RPCError) -> ChangePasswordResponse {
        try await call(PasswordsMethods.change, request)
    }
}

extension RPCClient {
    /// `Stages/Create`, or `Stages/Update` when `replacing`.
    public func putStage(_ stage: PasswordStage, replacing: Bool) async throws(RPCError) -> PasswordStage {
        replacing
            ? try await call(StagesMethods.update, UpdateStageRequest(stage: stage))
            : try await call(StagesMethods.create, CreateStageRequest(stage: stage))
    }

    /// `Stages/Get`.
    public func stage(named name: String) async throws(RPCError) -> PasswordStage {
        try await call(StagesMethods.get, GetStageRequest(name: name))
    }

    /// `Stages/List`.
    public func stages() async throws(RPCError) -> [PasswordStage] {
        let response: ListStagesResponse = try await call(StagesMethods.list, ListStagesRequest())
        return response.stages
    }

    /// `Stages/Delete`.
    public func deleteStage(named name: String) async throws(RPCError) {
        let _: DeleteStageResponse = try await call(StagesMethods.delete, DeleteStageRequest(name: name))
    }

    /// `Authentication/Authenticate`.
    public func authenticate(_ request: AuthenticateRequest) async throws(RPCError) -> AuthenticateResponse {
        try await call(AuthenticationMethods.authenticate, request)
    }
}
