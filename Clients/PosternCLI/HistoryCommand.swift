import ArgumentParser
import PosternClient

/// `postern history …`: postern-history for operators. Users are named as everywhere else (a
/// username, looked up in postern-password, or `--id`); secrets come from the terminal or
/// standard input, never from the command line.
struct HistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Check, size, forget, import and count password history.",
        subcommands: [Check.self, Retention.self, Forget.self, Import.self, Stats.self])

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Was this password among the user's last N? Exit 0: no; 2: yes (reused).",
            discussion: "On a terminal the password is asked; otherwise it is the first line of standard input.")
        @OptionGroup var sockets: HistorySockets
        @OptionGroup var target: UserTarget
        @Option(help: ArgumentHelp("How many of the newest passwords to look at (default: the retention).", valueName: "n"))
        var count: UInt32?
        @OptionGroup var output: OutputOptions

        func validate() throws {
            if let count, !(1...1000).contains(count) { throw ValidationError("--count must be 1…1000, not \(count)") }
        }

        func run() async throws {
            var input = SecretInput()
            let password = try input.read("Password")
            let userID = try await HistoryCommand.userID(target, sockets)
            let (answer, n) = try await withDaemon(.history, sockets) { client throws(RPCError) in
                var n = count ?? 0
                if count == nil { n = try await client.historyStats().retention }
                guard n > 0 else {
                    throw RPCError(code: .failedPrecondition, message: "history is off (retention 0); give --count or set a retention")
                }
                return (try await client.checkHistory(userID: userID, password: password, count: n), n)
            }
            let who = target.username ?? userID
            try output.emit(
                HistoryJSON.Check(userId: userID, username: target.username, count: n, reused: answer.reused, compared: answer.compared),
                human: answer.reused
                    ? "reused: the password is among \(who)'s last \(n) (\(answer.compared) compared)"
                    : "not reused: the password is not among \(who)'s last \(n) (\(answer.compared) compared)")
            if answer.reused { throw ExitCode(ExitStatus.negative) }
        }
    }

    struct Retention: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show, or set, how many passwords each user keeps; 0 turns history off and purges it.")
        @OptionGroup var sockets: HistoryOnlySockets
        @Argument(help: "The new retention (0…1000); none shows the current one.") var count: UInt32?
        @OptionGroup var confirmation: Confirmation
        @OptionGroup var output: OutputOptions

        func run() async throws {
            if let count {
                if count == 0 { try confirmation.confirm("turn password history off and purge every entry") }
                let answer = try await withDaemon(.history, sockets) { client throws(RPCError) in
                    try await client.setHistoryRetention(count)
                }
                try output.emit(
                    HistoryJSON.Retention(retention: count, previous: answer.previous, removed: answer.removed),
                    human: "retention \(count) (was \(answer.previous)); \(answer.removed) entr\(answer.removed == 1 ? "y" : "ies") removed")
            } else {
                let stats = try await withDaemon(.history, sockets) { client throws(RPCError) in try await client.historyStats() }
                try output.emit(
                    HistoryJSON.Retention(retention: stats.retention, previous: nil, removed: nil),
                    human: stats.retention == 0 ? "retention 0: history is off" : "retention \(stats.retention)")
            }
        }
    }

    struct Forget: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove everything postern-history keeps about a user.")
        @OptionGroup var sockets: HistorySockets
        @OptionGroup var target: UserTarget
        @OptionGroup var confirmation: Confirmation
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let userID = try await HistoryCommand.userID(target, sockets)
            try confirmation.confirm("forget the password history of \(target.username ?? userID)")
            let answer = try await withDaemon(.history, sockets) { client throws(RPCError) in
                try await client.forgetHistory(userID: userID)
            }
            try output.emit(
                ["user_id": .string(userID), "removed": JSONValue.integer(Int64(clamping: answer.removed))],
                human: "forgot \(target.username ?? userID): \(answer.removed) entr\(answer.removed == 1 ? "y" : "ies") removed")
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import authentik's password history (Django hashes) from a JSON Lines file.",
            discussion: """
                One object per line: {"user_id": "…", "old_password": "pbkdf2_sha256$…", "created_at": "2025-01-31T12:00:00Z"} \
                ("username" instead of "user_id" is looked up in postern-password). The whole file is checked \
                first; then it is imported in batches of \(HistoryCommand.importBatch).
                """)
        @OptionGroup var sockets: HistoryImportSockets
        @Argument(help: "The JSON Lines file.") var file: String
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let text: String
            do {
                text = try String(contentsOfFile: file, encoding: .utf8)
            } catch {
                throw ValidationError("cannot read \(file): \(error.localizedDescription)")
            }
            let rows: [HistoryImportFile.Row]
            do {
                rows = try HistoryImportFile.rows(text, file: file)
            } catch let problems as JSONLines.Problems {
                printError("postern: \(problems)")
                throw ExitCode(ExitStatus.failed)
            }
            guard !rows.isEmpty else { throw ValidationError("\(file) has no entries") }
            // Usernames to ids, through postern-password, which owns the users.
            let usernames = Set(rows.compactMap(\.username))
            var ids: [String: String] = [:]
            if !usernames.isEmpty {
                ids = try await withPasswordDaemon(sockets) { client throws(RPCError) in
                    var ids: [String: String] = [:]
                    for username in usernames.sorted() { ids[username] = try await client.user(username: username).id }
                    return ids
                }
            }
            let entries = rows.map { row in
                Postern.History.V1.LegacyEntry(
                    userID: row.userID ?? ids[row.username ?? ""] ?? "", encoded: row.encoded,
                    createdUnixMs: row.createdUnixMilliseconds)
            }
            let batches = stride(from: 0, to: entries.count, by: HistoryCommand.importBatch).map {
                Array(entries[$0..<min($0 + HistoryCommand.importBatch, entries.count)])
            }
            let (imported, skipped) = try await withDaemon(.history, sockets) { client throws(RPCError) in
                // Everything checked before anything is stored: a bad line imports nothing.
                for (number, batch) in batches.enumerated() {
                    do throws(RPCError) {
                        _ = try await client.importLegacyHistory(batch, validateOnly: true)
                    } catch {
                        throw HistoryCommand.naming(error, batch: number, rows: rows)
                    }
                }
                var imported: UInt64 = 0, skipped: UInt64 = 0
                for batch in batches {
                    let answer = try await client.importLegacyHistory(batch, validateOnly: false)
                    imported += answer.imported
                    skipped += answer.skipped
                }
                return (imported, skipped)
            }
            try output.emit(
                HistoryJSON.Import(imported: imported, skippedWithoutUsableHash: skipped),
                human: "imported \(imported) entr\(imported == 1 ? "y" : "ies"); skipped \(skipped) without a usable hash")
        }
    }

    struct Stats: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "What the history holds.")
        @OptionGroup var sockets: HistoryOnlySockets
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let stats = try await withDaemon(.history, sockets) { client throws(RPCError) in try await client.historyStats() }
            let human = [
                "retention: \(stats.retention)\(stats.retention == 0 ? " (off)" : "")",
                "users: \(stats.users)",
                "entries: \(stats.entries)",
                "pending: \(stats.pending)",
                "imported from authentik: \(stats.legacyEntries)",
                "entries under another pepper: \(stats.entriesOtherPepper)",
            ] + stats.parameterSets.map { "  \($0.parameters): \($0.entries)" } + ["database bytes: \(stats.databaseBytes)"]
            try output.emit(HistoryJSON.Stats(stats), human: human.joined(separator: "\n"))
        }
    }

    static let importBatch = 1000

    /// A refusal of `entries[i]` in batch `batch`, renamed to the file's line.
    static func naming(_ error: RPCError, batch: Int, rows: [HistoryImportFile.Row]) -> RPCError {
        let message = error.message
        guard message.hasPrefix("entries["), let close = message.firstIndex(of: "]"),
              let index = Int(message[message.index(message.startIndex, offsetBy: 8)..<close]),
              batch * importBatch + index < rows.count
        else { return error }
        return RPCError(code: error.code, message: "line \(rows[batch * importBatch + index].line)" + message[close...].dropFirst())
    }

    /// The id of the user `target` names: `--id` as given; a username looked up in
    /// postern-password, which owns the users.
    static func userID(_ target: UserTarget, _ sockets: some DaemonSockets) async throws -> String {
        if let id = target.id { return id }
        return try await withPasswordDaemon(sockets) { client throws(RPCError) in try await client.user(target).id }
    }
}

/// The `--json` shapes of `postern history` (docs/cli.md).
enum HistoryJSON {
    struct Check: Encodable {
        var userId: String
        var username: String?
        var count: UInt32
        var reused: Bool
        var compared: UInt32

        private enum CodingKeys: String, CodingKey {
            case username, count, reused, compared
            case userId = "user_id"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(userId, forKey: .userId)
            try container.encode(username, forKey: .username)
            try container.encode(count, forKey: .count)
            try container.encode(reused, forKey: .reused)
            try container.encode(compared, forKey: .compared)
        }
    }

    struct Retention: Encodable {
        var retention: UInt32
        var previous: UInt32?
        var removed: UInt64?

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(retention, forKey: .retention)
            try container.encode(previous, forKey: .previous)
            try container.encode(removed, forKey: .removed)
        }

        private enum CodingKeys: String, CodingKey { case retention, previous, removed }
    }

    struct Import: Encodable {
        var imported: UInt64
        var skippedWithoutUsableHash: UInt64

        private enum CodingKeys: String, CodingKey {
            case imported
            case skippedWithoutUsableHash = "skipped_without_usable_hash"
        }
    }

    struct Stats: Encodable {
        var retention: UInt32
        var users, entries, pending, legacyEntries, entriesOtherPepper, databaseBytes: UInt64
        var parameterSets: [String: UInt64]

        init(_ stats: Postern.History.V1.StatsResponse) {
            retention = stats.retention
            users = stats.users
            entries = stats.entries
            pending = stats.pending
            legacyEntries = stats.legacyEntries
            entriesOtherPepper = stats.entriesOtherPepper
            databaseBytes = stats.databaseBytes
            parameterSets = Dictionary(stats.parameterSets.map { ($0.parameters, $0.entries) }) { first, _ in first }
        }

        private enum CodingKeys: String, CodingKey {
            case retention, users, entries, pending
            case legacyEntries = "legacy_entries", entriesOtherPepper = "entries_other_pepper"
            case databaseBytes = "database_bytes", parameterSets = "parameter_sets"
        }
    }
}
