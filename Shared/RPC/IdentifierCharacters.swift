/// Characters an identifier (a username, an id, a stage name) may not hold: control and format
/// characters (U+202E RIGHT-TO-LEFT OVERRIDE, U+200B ZERO WIDTH SPACE), line and paragraph
/// separators, and code points Unicode has not assigned. Each would make one name look like
/// another, or hide in a log line.
public enum IdentifierCharacters {
    /// Why `value` may not be an identifier, naming the first such character; nil when it may.
    public static func problem(_ value: String) -> String? {
        for scalar in value.unicodeScalars {
            let kind: String? =
                switch scalar.properties.generalCategory {
                case .control: "a control character"
                case .format: "an invisible formatting character"
                case .lineSeparator, .paragraphSeparator: "a line or paragraph separator"
                case .unassigned: "an unassigned code point"
                default: nil
                }
            if let kind {
                let hex = String(scalar.value, radix: 16, uppercase: true)
                return "contains \(kind) (U+\(String(repeating: "0", count: max(0, 4 - hex.count)) + hex))"
            }
        }
        return nil
    }
}
