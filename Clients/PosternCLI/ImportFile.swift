import ArgumentParser
import Foundation
import PosternClient

/// The files `postern user import` reads.
enum ImportFile {
    /// One JSON object per line; blank lines and lines starting with # are skipped.
    static func jsonLines(_ text: String) throws -> [Postern.Password.V1.ImportedUser] {
        var rows: [Postern.Password.V1.ImportedUser] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { continue }
            guard let object = try? JSONSerialization.jsonObject(with: Data(trimmed.utf8)) as? [String: Any] else {
                throw ValidationError("line \(number + 1): not a JSON object")
            }
            guard let username = object["username"] as? String else {
                throw ValidationError("line \(number + 1): no \"username\" string")
            }
            var attributes = ""
            if let value = object["attributes"] {
                guard JSONSerialization.isValidJSONObject(value),
                      let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])
                else { throw ValidationError("line \(number + 1): \"attributes\" is not an object") }
                attributes = String(decoding: data, as: UTF8.self)
            }
            rows.append(Postern.Password.V1.ImportedUser(
                id: object["id"] as? String ?? "",
                username: username,
                name: object["name"] as? String ?? "",
                type: (object["type"] as? String) == "service_account" ? .serviceAccount : .internal,
                attributesJSON: attributes,
                inactive: object["inactive"] as? Bool ?? false,
                passwordHash: object["password_hash"] as? String ?? "",
                passwordChangedUnixMs: Int64(((object["password_changed"] as? Double) ?? 0) * 1000)))
        }
        return rows
    }

    /// /etc/shadow: `name:hash:lastchange(days):…`. Entries without a crypt(3) hash (locked
    /// `!…`, `*`, empty) are system accounts or have no password: skipped.
    static func shadow(_ text: String) throws -> [Postern.Password.V1.ImportedUser] {
        text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: ":", omittingEmptySubsequences: false)
            guard fields.count >= 3, fields[1].hasPrefix("$") else { return nil }
            let days = Int64(fields[2]) ?? 0
            return Postern.Password.V1.ImportedUser(
                username: String(fields[0]), passwordHash: String(fields[1]),
                passwordChangedUnixMs: days * 86_400_000)
        }
    }
}
