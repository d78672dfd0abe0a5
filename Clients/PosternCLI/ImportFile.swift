import ArgumentParser
import Foundation
import PosternClient

/// The files `postern user import` reads, strictly (docs/cli.md, "Imports").
enum ImportFile {
    static let keys = ["username", "id", "name", "type", "attributes", "inactive", "password_hash", "password_changed"]

    /// Rows to import and the file line each came from.
    struct Rows {
        var users: [Postern.Password.V1.ImportedUser] = []
        var lines: [Int] = []
        /// What was left out on purpose, said to the operator (`--shadow`).
        var skipped: [String] = []
    }

    /// One JSON object per line: `username` (required), `id`, `name`, `type` (`internal` or
    /// `service_account`), `attributes` (an object), `inactive` (true/false), `password_hash`,
    /// `password_changed` (Unix seconds). Throws every problem of every line at once.
    static func jsonLines(_ text: String, file: String) throws -> Rows {
        var problems: [String] = []
        var rows = Rows()
        for line in JSONLines.objects(text, problems: &problems) {
            var fields = LineFields(line)
            let username = fields.string("username", required: true)
            let id = fields.string("id")
            let name = fields.string("name")
            let type = fields.choice("type", ["internal", "service_account"])
            let attributes = fields.objectText("attributes")
            let inactive = fields.bool("inactive")
            let hash = fields.string("password_hash")
            let changed = fields.unixSeconds("password_changed")
            fields.refuseUnknownKeys(known: keys)
            if type == "service_account", let hash, !hash.isEmpty {
                fields.refuse("password_hash", "is not taken by a service account: it signs in with app passwords only")
            }
            problems += fields.problems
            guard fields.problems.isEmpty, let username else { continue }
            rows.users.append(Postern.Password.V1.ImportedUser(
                id: id ?? "", username: username, name: name ?? "",
                type: type == "service_account" ? .serviceAccount : .internal,
                attributesJSON: attributes ?? "", inactive: inactive ?? false, passwordHash: hash ?? "",
                passwordChangedUnixMs: Int64(((changed ?? 0) * 1000).rounded())))
            rows.lines.append(line.number)
        }
        guard problems.isEmpty else { throw JSONLines.Problems(file: file, problems: problems) }
        return rows
    }

    /// /etc/shadow: `name:hash:lastchange(days):…`, nine fields. Entries whose hash is locked
    /// (`!…`), disabled (`*`) or empty have no password to import: skipped, and counted in
    /// `skipped`. A line that is not in this format is a problem; so is a file with none.
    static func shadow(_ text: String, file: String) throws -> Rows {
        var rows = Rows()
        var problems: [String] = []
        var locked = 0, disabled = 0, empty = 0
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where !line.isEmpty {
            let fields = line.split(separator: ":", omittingEmptySubsequences: false)
            guard fields.count == 9, !fields[0].isEmpty, fields[2].isEmpty || Int64(fields[2]) != nil else {
                problems.append("line \(index + 1): not an /etc/shadow entry (name:hash:lastchange:…, nine fields)")
                continue
            }
            let hash = fields[1]
            if hash.hasPrefix("!") {
                locked += 1
            } else if hash.hasPrefix("*") {
                disabled += 1
            } else if hash.isEmpty {
                empty += 1
            } else {
                rows.users.append(Postern.Password.V1.ImportedUser(
                    username: String(fields[0]), passwordHash: String(hash),
                    passwordChangedUnixMs: (Int64(fields[2]) ?? 0) * 86_400_000))
                rows.lines.append(index + 1)
            }
        }
        guard problems.isEmpty else {
            let lines = text.split(separator: "\n").count
            if problems.count == lines {
                throw ValidationError("\(file) is not in /etc/shadow's format (name:hash:lastchange:…, nine fields per line)")
            }
            throw JSONLines.Problems(file: file, problems: problems)
        }
        if locked > 0 { rows.skipped.append("\(locked) locked (!)") }
        if disabled > 0 { rows.skipped.append("\(disabled) without a password (*)") }
        if empty > 0 { rows.skipped.append("\(empty) with an empty password field") }
        return rows
    }

    /// The daemon's refusal with its row numbers (from 1) given as the file's lines as well.
    /// One pass over the message; a row number the file does not have is left as it is.
    static func naming(_ error: RPCError, lines: [Int]) -> RPCError {
        let message = error.message.replacing(/(?<lead>(?:^|[ :;]))row (?<row>\d+)(?<tail> \(|$|[;,])/) { match in
            guard let row = Int(match.output.row), (1...lines.count).contains(row) else { return String(match.output.0) }
            return String(match.output.lead) + "line \(lines[row - 1])" + String(match.output.tail)
        }
        return RPCError(code: error.code, message: message)
    }
}
