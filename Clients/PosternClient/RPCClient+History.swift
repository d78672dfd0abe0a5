extension RPCClient {
    /// `postern.history.v1.History/Check`: whether `password` is among the user's last `count`.
    public func checkHistory(userID: String, password: String, count: UInt32) async throws(RPCError) -> Postern.History.V1.CheckResponse {
        try await call(Postern.History.V1.History.check, Postern.History.V1.CheckRequest(userID: userID, password: password, count: count))
    }

    /// `History/SetRetention`: keep `count` passwords per user; 0 turns history off and purges it.
    public func setHistoryRetention(_ count: UInt32) async throws(RPCError) -> Postern.History.V1.SetRetentionResponse {
        try await call(Postern.History.V1.History.setRetention, Postern.History.V1.SetRetentionRequest(count: count))
    }

    /// `History/ForgetUser`.
    public func forgetHistory(userID: String) async throws(RPCError) -> Postern.History.V1.ForgetUserResponse {
        try await call(Postern.History.V1.History.forgetUser, Postern.History.V1.ForgetUserRequest(userID: userID))
    }

    /// `History/Stats`.
    public func historyStats() async throws(RPCError) -> Postern.History.V1.StatsResponse {
        try await call(Postern.History.V1.History.stats, Postern.History.V1.StatsRequest())
    }
}

extension RPCClient {
    /// `History/ImportLegacy`: authentik's history entries, at most 1000 per call.
    public func importLegacyHistory(
        _ entries: [Postern.History.V1.LegacyEntry], validateOnly: Bool
    ) async throws(RPCError) -> Postern.History.V1.ImportLegacyResponse {
        try await call(Postern.History.V1.History.importLegacy, Postern.History.V1.ImportLegacyRequest(entries: entries, validateOnly: validateOnly))
    }
}
