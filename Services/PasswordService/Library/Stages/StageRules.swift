import Foundation
import PosternProtocol
import PosternRPC
import PosternWire

/// What a password stage may say (docs/stages.md), and its row in the store.
enum StageRules {
    static let maximumNameCharacters = 128
    /// So that a stage name's length can be checked in bounded time (a character may be many bytes).
    static let maximumNameBytes = 512
    static let defaultFailedAttempts: UInt32 = 5
    static let maximumFailedAttempts: UInt32 = 100

    static func row(_ stage: Postern.Password.V1.PasswordStage, now: Date) throws(RPCError) -> StoredStage {
        guard !stage.name.isEmpty else { throw invalid("name is missing") }
        guard stage.name.utf8.count <= maximumNameBytes, stage.name.count <= maximumNameCharacters else {
            throw invalid("name is longer than \(maximumNameCharacters) characters or \(maximumNameBytes) bytes")
        }
        if let problem = IdentifierCharacters.problem(stage.name) { throw invalid("name \(problem)") }
        guard !stage.backends.isEmpty else { throw invalid("backends is empty: name at least one") }
        guard Set(stage.backends).count == stage.backends.count else { throw invalid("backends names one backend twice") }
        for backend in stage.backends {
            guard backend != .unspecified else { throw invalid("backends holds BACKEND_UNSPECIFIED: name a backend (internal, app_password, ldap, kerberos)") }
        }
        let attempts = stage.failedAttemptsBeforeCancel == 0 ? defaultFailedAttempts : stage.failedAttemptsBeforeCancel
        guard attempts <= maximumFailedAttempts else {
            throw invalid("failed_attempts_before_cancel is \(attempts); at most \(maximumFailedAttempts)")
        }
        guard stage.configurationFlow.utf8.count <= 255,
              !stage.configurationFlow.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else { throw invalid("configuration_flow must be at most 255 bytes without control characters") }
        return StoredStage(
            name: stage.name, backends: stage.backends.map(\.name).joined(separator: ","),
            failedAttemptsBeforeCancel: Int(attempts), allowShowPassword: stage.allowShowPassword,
            configurationFlow: stage.configurationFlow, createdAt: now, updatedAt: now)
    }

    static func message(_ row: StoredStage) -> Postern.Password.V1.PasswordStage {
        Postern.Password.V1.PasswordStage(
            name: row.name,
            backends: backends(row.backends),
            failedAttemptsBeforeCancel: UInt32(row.failedAttemptsBeforeCancel),
            allowShowPassword: row.allowShowPassword,
            configurationFlow: row.configurationFlow)
    }

    /// The backends of a stored stage's comma-separated list, in order; a name this build does
    /// not know reads as `.unspecified`. Every login reads its stage's list, so this scans the
    /// bytes once instead of splitting into an array of substrings.
    static func backends(_ list: String) -> [Postern.Password.V1.Backend] {
        guard !list.isEmpty else { return [] }
        var result: [Postern.Password.V1.Backend] = []
        result.reserveCapacity(4)
        var rest = Substring(list)
        while true {
            let end = rest.utf8.firstIndex(of: UInt8(ascii: ",")) ?? rest.endIndex
            result.append(Postern.Password.V1.Backend(name: String(rest[..<end])) ?? .unspecified)
            guard end < rest.endIndex else { return result }
            rest = rest[rest.utf8.index(after: end)...]
        }
    }

    private static func invalid(_ message: String) -> RPCError { RPCError(code: .invalidArgument, message: message) }
}
