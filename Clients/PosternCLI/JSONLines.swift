import Foundation

/// A file of one JSON object per line, read strictly: every line is checked, every problem of
/// every line is reported (1-based line numbers), and an unknown key or a value of the wrong
/// type is a problem, never silently dropped or defaulted. Blank lines and lines starting
/// with # are skipped.
enum JSONLines {
    /// One line's object, with the line it came from.
    struct Line {
        let number: Int
        let object: [String: JSONValue]
    }

    /// Problems found in a file, one per line and field; printed one per line.
    struct Problems: Error, CustomStringConvertible {
        let file: String
        let problems: [String]

        var description: String {
            "\(file): \(problems.count) problem\(problems.count == 1 ? "" : "s"), nothing imported:\n"
                + problems.map { "  \($0)" }.joined(separator: "\n")
        }
    }

    /// The objects of `text`; the lines that are not JSON objects are in `problems`.
    static func objects(_ text: String, problems: inout [String]) -> [Line] {
        var lines: [Line] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = raw.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { continue }
            do {
                let value = try JSONDecoder().decode(JSONValue.self, from: Data(trimmed.utf8))
                guard case .object(let object) = value else {
                    problems.append("line \(index + 1): not a JSON object")
                    continue
                }
                lines.append(Line(number: index + 1, object: object))
            } catch {
                problems.append("line \(index + 1): not valid JSON")
            }
        }
        return lines
    }
}

/// Any JSON value, as decoded, keeping booleans apart from numbers and whole numbers exact
/// (attributes are written back as they came: 9007199254740993 stays that, not a double).
enum JSONValue: Codable, Equatable {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .integer(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// How a problem names this value's type.
    var kind: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .integer, .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

/// Reads one line's fields, noting each problem instead of stopping at the first.
struct LineFields {
    let line: JSONLines.Line
    private(set) var problems: [String] = []
    private var read: Set<String> = []

    init(_ line: JSONLines.Line) { self.line = line }

    /// A problem with `key` found by the caller (a combination of fields).
    mutating func refuse(_ key: String, _ text: String) { problem(key, text) }

    private mutating func problem(_ key: String, _ text: String) {
        problems.append("line \(line.number): \"\(key)\" \(text)")
    }

    mutating func string(_ key: String, required: Bool = false) -> String? {
        read.insert(key)
        switch line.object[key] {
        case .string(let value)?: return value
        case nil where required: problems.append("line \(line.number): no \"\(key)\"")
        case nil: break
        case let other?: problem(key, "must be a string, not \(other.kind)")
        }
        return nil
    }

    mutating func bool(_ key: String) -> Bool? {
        read.insert(key)
        switch line.object[key] {
        case .bool(let value)?: return value
        case nil: return nil
        case let other?: problem(key, "must be true or false, not \(other.kind)")
        }
        return nil
    }

    /// One of `allowed`.
    mutating func choice(_ key: String, _ allowed: [String]) -> String? {
        guard let value = string(key) else { return nil }
        guard allowed.contains(value) else {
            problem(key, "must be \(allowed.map { "\"\($0)\"" }.joined(separator: " or ")), not \"\(value)\"")
            return nil
        }
        return value
    }

    /// A number of seconds since the epoch, 0…253402300799 (year 9999).
    mutating func unixSeconds(_ key: String) -> Double? {
        read.insert(key)
        switch line.object[key] {
        case .integer(let value)? where value >= 0 && value <= 253_402_300_799: return Double(value)
        case .number(let value)? where value >= 0 && value <= 253_402_300_799: return value
        case .integer?, .number?: problem(key, "must be Unix seconds between 0 and the year 9999")
        case nil: break
        case let other?: problem(key, "must be Unix seconds (a number), not \(other.kind)")
        }
        return nil
    }

    /// A time: text `parsing` reads, or seconds since the epoch. Required.
    mutating func time(_ key: String, parsing: (String) -> Date?) -> Date? {
        read.insert(key)
        switch line.object[key] {
        case .string(let text)?:
            if let date = parsing(text) { return date }
            problem(key, "is not an ISO 8601 time (2025-01-31T12:00:00Z): \"\(text)\"")
        case .integer(let seconds)? where seconds >= 0 && seconds <= 253_402_300_799:
            return Date(timeIntervalSince1970: Double(seconds))
        case .number(let seconds)? where seconds >= 0 && seconds <= 253_402_300_799:
            return Date(timeIntervalSince1970: seconds)
        case .integer?, .number?: problem(key, "must be seconds between 0 and the year 9999")
        case nil: problems.append("line \(line.number): no \"\(key)\"")
        case let other?: problem(key, "must be an ISO 8601 time or seconds since the epoch, not \(other.kind)")
        }
        return nil
    }

    /// A JSON object, re-encoded with sorted keys.
    mutating func objectText(_ key: String) -> String? {
        read.insert(key)
        switch line.object[key] {
        case .object(let value)?:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            return (try? encoder.encode(JSONValue.object(value))).map { String(decoding: $0, as: UTF8.self) }
        case nil: break
        case let other?: problem(key, "must be an object, not \(other.kind)")
        }
        return nil
    }

    /// Notes every key of the line that no reader asked for: a misspelt one loses nothing.
    mutating func refuseUnknownKeys(known: [String]) {
        for key in line.object.keys.sorted() where !read.contains(key) {
            problems.append("line \(line.number): unknown key \"\(key)\" (known: \(known.joined(separator: ", ")))")
        }
    }
}
