import Foundation
import Logging
import PosternDaemon
import PosternProtocol
import PosternStore
import PosternRPC
import PosternWire

/// Confirms the history entries of passwords that were stored but whose Confirm did not get
/// through (postern-history down, or this daemon killed in between): at start, then every
/// `history.retry_interval`, from the `history_confirmation` rows. A row goes once
/// postern-history answers — confirmed, or gone (expired: `history_confirm_lost`).
public enum HistoryConfirmationRetry {
    /// Adds the loop to the daemon's background work: it runs while the daemon serves and, when
    /// the daemon stops, finishes the confirmation it is in and ends.
    public static func start(
        in background: BackgroundWork, client: PeerClient, store: PasswordStore, interval: Duration, logger: Logger
    ) {
        background.add("history confirmation retry") { shutdown in
            while !shutdown.isRequested {
                await confirmAll(client: client, store: store, logger: logger, shutdown: shutdown)
                await shutdown.sleep(for: interval)
            }
        }
    }

    /// One round over every row owed; stops at the first that cannot reach postern-history,
    /// or when the daemon is stopping. Rows younger than one call's timeout are left to the
    /// call that wrote them, which is still confirming them.
    static func confirmAll(
        client: PeerClient, store: PasswordStore, logger: Logger, shutdown: ShutdownRequest
    ) async {
        let settled = Date().addingTimeInterval(-client.timeout.timeInterval)
        let owed: [PasswordStore.HistoryConfirmation]
        do {
            owed = try await store.historyConfirmations()
        } catch {
            logger.error("store failed", metadata: ["error": "\(error)"])
            return
        }
        for confirmation in owed where confirmation.createdAt <= settled {
            guard !shutdown.isRequested else { return }
            guard await confirm(confirmation, client: client, store: store, logger: logger) else { return }
        }
    }

    /// Confirms one; false when postern-history could not be asked (the row stays).
    static func confirm(
        _ confirmation: PasswordStore.HistoryConfirmation, client: PeerClient, store: PasswordStore, logger: Logger
    ) async -> Bool {
        let metadata: Logger.Metadata = ["user_id": "\(confirmation.userID)", "pending_id": "\(confirmation.pendingID)"]
        let answer: Postern.History.V1.ConfirmResponse
        do {
            answer = try await client.call(Postern.History.V1.History.confirm, Postern.History.V1.ConfirmRequest(pendingID: confirmation.pendingID))
        } catch {
            logger.warning("history_confirm_deferred", metadata: metadata.merging(["status": "\(error.code)"]) { $1 })
            return false
        }
        if !answer.confirmed {
            // Expired before it could be confirmed, or history was turned off meanwhile.
            logger.warning("history_confirm_lost", metadata: metadata)
        }
        do {
            try await store.removeHistoryConfirmation(confirmation.pendingID)
        } catch {
            logger.error("store failed", metadata: ["error": "\(error)"])
        }
        return true
    }
}
