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

    static func rows(_ text: String) throws -> [Row] {
        var rows: [Row] = []
        let dates = ISO8601DateFormatter()
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { continue }
            let where_ = "line \(number + 1)"
            guard let object = try? JSONSerialization.jsonObject(with: Data(trimmed.utf8)) as? [String: Any] else {
                throw ValidationError("\(where_): not a JSON object")
            }
            let userID = object["user_id"] as? String
            let username = object["username"] as? String
            guard (userID == nil) != (username == nil) else {
                throw ValidationError("\(where_): give exactly one of \"user_id\" and \"username\"")
            }
            guard let encoded = object["old_password"] as? String else {
                throw ValidationError("\(where_): no \"old_password\" string")
            }
            let created: Date?
            switch object["created_at"] {
            case let text as String: created = fractional.date(from: text) ?? dates.date(from: text)
            case let seconds as Double: created = Date(timeIntervalSince1970: seconds)
            default: created = nil
            }
            guard let created else {
                throw ValidationError("\(where_): \"created_at\" is not an ISO 8601 time or seconds since the epoch")
            }
            rows.append(Row(
                line: number + 1, userID: userID, username: username, encoded: encoded,
                createdUnixMilliseconds: Int64((created.timeIntervalSince1970 * 1000).rounded())))
        }
        return rows
    }
}
