import Foundation
import Logging
import PosternCrypto
import PosternProtocol
import PosternStore
import PosternRPC
import PosternWire

/// What Passwords/Set and Passwords/Change do around storing a password so that history is
/// never half done (docs/history.md "The record path"):
/// 1. record the new password in postern-history as *pending* — if that fails, the change
///    fails UNAVAILABLE and nothing was stored;
/// 2. store the hash, and in the same transaction a `history_confirmation` row — if that
///    fails, the pending entry is discarded (or expires);
/// 3. confirm the entry; if that does not get through, the row stays and
///    `HistoryConfirmationRetry` confirms it later. The change has happened either way.
struct HistoryRecordPath: Sendable {
    /// nil: no `history.socket`, nothing is recorded.
    let client: PeerClient?
    let store: PasswordStore
    let pauses: DiagnosticPauses
    let logger: Logger

    /// A history reservation as a request carries it: none, or the 32 hex digits
    /// postern-history's Check gave (docs/history.md "Reservations").
    static func reservation(_ value: String) throws(RPCError) -> String {
        guard value.isEmpty || Hex.isLowercase(value, digits: 32) else {
            throw RPCError(
                code: .invalidArgument, message: "history_reservation is not one postern-policy's ValidatePrompt gave (32 hex digits)")
        }
        return value
    }

    /// Step 1: the pending id, or nil when there is no history (no socket, or retention 0).
    /// `reservation` (may be empty) spares postern-history the slow hash when it fits.
    func recordPending(_ password: String, reservation: String, for userID: String) async throws(RPCError) -> String? {
        guard let client else { return nil }
        let answer: Postern.History.V1.RecordResponse
        do {
            answer = try await client.call(
                Postern.History.V1.History.record,
                Postern.History.V1.RecordRequest(userID: userID, password: password, pending: true, reservation: reservation))
        } catch {
            logger.warning(
                "history_unavailable",
                metadata: ["user_id": "\(userID)", "socket": "\(client.socketPath)", "status": "\(error.code)", "error": "\(error.message)"])
            throw RPCError(
                code: .unavailable, message: "password history is unavailable, so the password was not changed; try again")
        }
        guard answer.recorded, !answer.pendingID.isEmpty else { return nil }
        await pauses.pause(.historyRecorded, pauses.afterHistoryRecord, logger)
        return answer.pendingID
    }

    /// After a failed step 2: the pending entry goes now (or, if this fails too, expires).
    func discard(_ pendingID: String) async {
        guard let client else { return }
        _ = try? await client.call(
            Postern.History.V1.History.discard, Postern.History.V1.DiscardRequest(pendingID: pendingID))
    }

    /// Step 3, once; what does not get through is left to `HistoryConfirmationRetry`.
    func confirm(_ pendingID: String, for userID: String) async {
        await pauses.pause(.passwordCommitted, pauses.afterPasswordCommit, logger)
        guard let client else { return }
        _ = await HistoryConfirmationRetry.confirm(
            .init(pendingID: pendingID, userID: userID, createdAt: Date()), client: client, store: store, logger: logger)
    }
}

/// Tests only (`diagnostics.pause_after_*`): waits between the record path's steps, so a test
/// can kill a daemon there.
public struct DiagnosticPauses: Sendable {
    enum Step: String { case historyRecorded = "history_recorded", passwordCommitted = "password_committed" }

    public var afterHistoryRecord: Duration = .zero
    public var afterPasswordCommit: Duration = .zero

    public init(afterHistoryRecord: Duration = .zero, afterPasswordCommit: Duration = .zero) {
        self.afterHistoryRecord = afterHistoryRecord
        self.afterPasswordCommit = afterPasswordCommit
    }

    func pause(_ step: Step, _ duration: Duration, _ logger: Logger) async {
        guard duration > .zero else { return }
        logger.warning("diagnostics_paused", metadata: ["step": "\(step.rawValue)", "for": "\(duration)"])
        try? await Task.sleep(for: duration)
    }
}
