import Foundation

/// Writes blueprints as YAML (docs/blueprints.md): what `postern blueprint export` prints and
/// what a client sends a daemon to apply. Blocks for the document and its entries, each value
/// in YAML's flow style with every string double-quoted, so no value can be read back as
/// another type; `!KeyOf` and `!Find` as tags. Written
/// by hand: Yams' emitter drops tags on scalars.
public enum BlueprintWriter {
    /// An entry to write.
    public struct Entry: Sendable {
        public var id: String?
        public var model: String
        public var state: BlueprintEntryState
        public var identifiers: [String: BlueprintValue]
        public var attrs: [String: BlueprintValue]

        public init(
            id: String? = nil, model: String, state: BlueprintEntryState = .present, identifiers: [String: BlueprintValue],
            attrs: [String: BlueprintValue] = [:]
        ) {
            self.id = id
            self.model = model
            self.state = state
            self.identifiers = identifiers
            self.attrs = attrs
        }

        public init(_ entry: BlueprintEntry) {
            self.init(id: entry.id, model: entry.model.name, state: entry.state, identifiers: entry.identifiers, attrs: entry.attrs)
        }
    }

    public static func yaml(name: String, labels: [String: String] = [:], entries: [Entry]) -> String {
        var lines = ["version: 1", "metadata:", "  name: \(quoted(name))"]
        if !labels.isEmpty {
            lines.append("  labels: \(flow(.object(labels.mapValues { .string($0) })))")
        }
        lines.append(entries.isEmpty ? "entries: []" : "entries:")
        for entry in entries {
            lines.append("  - model: \(quoted(entry.model))")
            if let id = entry.id { lines.append("    id: \(quoted(id))") }
            if entry.state != .present { lines.append("    state: \(entry.state.rawValue)") }
            lines.append("    identifiers: \(flow(.object(entry.identifiers)))")
            if !entry.attrs.isEmpty { lines.append("    attrs: \(flow(.object(entry.attrs)))") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A value in flow style: `"text"`, `8`, `true`, `[…]`, `{key: …}`, `!KeyOf "id"`,
    /// `!Find ["model", ["field", value]]`. Mapping keys sorted.
    public static func flow(_ value: BlueprintValue) -> String {
        switch value {
        case .string(let text): return quoted(text)
        case .integer(let number): return String(number)
        case .bool(let flag): return flag ? "true" : "false"
        case .list(let items): return "[" + items.map(flow).joined(separator: ", ") + "]"
        case .object(let members):
            return "{" + members.keys.sorted().map { "\(quoted($0)): \(flow(members[$0]!))" }.joined(separator: ", ") + "}"
        case .keyOf(let id): return "!KeyOf \(quoted(id))"
        case .find(let model, let query):
            let pairs = query.keys.sorted().map { "[\(quoted($0)), \(flow(query[$0]!))]" }
            return "!Find [" + ([quoted(model)] + pairs).joined(separator: ", ") + "]"
        }
    }

    /// `text` double-quoted: `"` and `\\` escaped, and every character YAML would not keep as
    /// it is (control characters, YAML 1.1's line breaks U+0085, U+2028, U+2029, and U+FEFF)
    /// as `\\uXXXX`.
    public static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                let value = scalar.value
                if value < 0x20 || (0x7F...0x9F).contains(value) || value == 0x2028 || value == 0x2029 || value == 0xFEFF {
                    let hex = String(value, radix: 16, uppercase: true)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
