/// A context value written back as JSON (RFC 8259): what ValidatePrompt returns as the
/// validated prompt data. Members in their order; strings escaped as the RFC requires.
extension ContextValue {
    func write(to out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let value): out += value ? "true" : "false"
        case .integer(let value): out += String(value)
        case .double(let value): out += value.description
        case .string(let text): ContextValue.writeString(text, to: &out)
        case .array(let items):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                item.write(to: &out)
            }
            out += "]"
        case .object(let object): object.write(to: &out)
        }
    }

    static func writeString(_ text: String, to out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}

extension ContextObject {
    var json: String {
        var out = ""
        write(to: &out)
        return out
    }

    func write(to out: inout String) {
        out += "{"
        for (index, member) in members.enumerated() {
            if index > 0 { out += "," }
            ContextValue.writeString(member.key, to: &out)
            out += ":"
            member.value.write(to: &out)
        }
        out += "}"
    }
}
