extension RPCClient {
    /// `postern.history.v1.History/Check`: whether `password` is among the user's last `count`.
    public func checkHistory(userID: String, password: String, count: UInt32) async throws(RPCError) -> HistoryCheckResponse {
        try await call(HistoryMethods.check, HistoryCheckRequest(userID: userID, password: password, count: count))
    }

    /// `History/SetRetention`: keep `count` passwords per user; 0 turns history off and purges it.
    public func setHistoryRetention(_ count: UInt32) async throws(RPCError) -> SetRetentionResponse {
        try await call(HistoryMethods.setRetention, SetRetentionRequest(count: count))
    }

    /// `History/ForgetUser`.
    public func forgetHistory(userID: String) async throws(RPCError) -> ForgetUserResponse {
        try await call(HistoryMethods.forgetUser, ForgetUserRequest(userID: userID))
    }

    /// `History/Stats`.
    public func historyStats() async throws(RPCError) -> HistoryStatsResponse {
        try await call(HistoryMethods.stats, HistoryStatsRequest())
    }
}

extension RPCClient {
    /// `History/ImportLegacy`: authentik's history entries, at most 1000 per call.
    public func importLegacyHistory(
        _ entries: [ImportLegacyRequest.Entry], validateOnly: Bool
    ) async throws(RPCError) -> ImportLegacyResponse {
        try await call(HistoryMethods.importLegacy, ImportLegacyRequest(entries: entries, validateOnly: validateOnly))
    }
}
