import ArgumentParser
import Foundation
import PosternClient

/// The file `postern history import` reads: authentik's password history, one JSON object per
/// line — `{"user_id": "…", "old_password": "pbkdf2_sha256$…", "created_at": "2025-01-31T12:00:00Z"}`
/// (the columns of authentik's UserPasswordHistory; `username` instead of `user_id` names the
/// user as postern-password knows them; `created_at` may also be seconds since the epoch).
/// Blank lines and lines starting with # are skipped.
enum HistoryImportFile {
    struct Row {
        var line: Int
        var userID: String?
        var username: String?
        var encoded: String
        var createdUnixMilliseconds: Int64
    }

    static let keys = ["user_id", "username", "old_password", "created_at"]

    /// Every row of `text`; throws every problem of every line at once (`JSONLines.Problems`).
    static func rows(_ text: String, file: String) throws -> [Row] {
        var rows: [Row] = []
        var problems: [String] = []
        let dates = ISO8601DateFormatter()
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        for line in JSONLines.objects(text, problems: &problems) {
            var fields = LineFields(line)
            let userID = fields.string("user_id")
            let username = fields.string("username")
            let encoded = fields.string("old_password", required: true)
            let created = fields.time("created_at", parsing: { fractional.date(from: $0) ?? dates.date(from: $0) })
            fields.refuseUnknownKeys(known: keys)
            if ["user_id", "username"].filter({ line.object[$0] != nil }).count != 1 {
                fields.refuse("user_id", "or \"username\": give exactly one")
            }
            problems += fields.problems
            guard fields.problems.isEmpty, let encoded, let created else { continue }
            rows.append(Row(
                line: line.number, userID: userID, username: username, encoded: encoded,
                createdUnixMilliseconds: Int64((created.timeIntervalSince1970 * 1000).rounded())))
        }
        guard problems.isEmpty else { throw JSONLines.Problems(file: file, problems: problems) }
        return rows
    }
}
