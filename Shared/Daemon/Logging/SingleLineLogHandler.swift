import Logging

/// swift-log's stream handler with every event kept on one line that parses one way. Metadata
/// carries what clients send — a username, a client address — so without this a username with
/// a newline in it could forge a second event, and one with a space a second field
/// (DESIGN.md: one structured line per event). In messages and metadata values a backslash is
/// written `\\`, and control characters, U+2028 and U+2029 `\u{hex}`; a metadata value with
/// a space, `=` or `"` in it (or none at all) is written in double quotes, `"` inside as `\"`.
public struct SingleLineLogHandler: LogHandler {
    private var inner: StreamLogHandler

    public init(_ inner: StreamLogHandler) {
        self.inner = inner
    }

    public func log(event: LogEvent) {
        var event = event
        event.message = Logger.Message(stringLiteral: Self.escaped(event.message.description))
        event.metadata = event.metadata.map(Self.escaped)
        inner.log(event: event)
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { inner[metadataKey: key] }
        set { inner[metadataKey: key] = newValue.map(Self.escaped) }
    }

    public var metadata: Logger.Metadata {
        get { inner.metadata }
        set { inner.metadata = Self.escaped(newValue) }
    }

    public var logLevel: Logger.Level {
        get { inner.logLevel }
        set { inner.logLevel = newValue }
    }

    public var metadataProvider: Logger.MetadataProvider? {
        get { inner.metadataProvider }
        set { inner.metadataProvider = newValue }
    }

    /// `text` with `\\` for a backslash and `\u{hex}` for a control character, U+2028 or U+2029.
    public static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0 == "\\" || isLineBreaking($0) }) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            if scalar == "\\" {
                out += "\\\\"
            } else if isLineBreaking(scalar) {
                out += "\\u{" + String(scalar.value, radix: 16) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A metadata value: `escaped`, and in double quotes when it has a space, `=` or `"` or
    /// is empty, so `key=value` pairs split one way.
    public static func escapedValue(_ text: String) -> String {
        let text = escaped(text)
        guard text.isEmpty || text.contains(where: { $0 == " " || $0 == "=" || $0 == "\"" }) else { return text }
        return "\"" + text.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\\\"") + "\""
    }

    private static func isLineBreaking(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.generalCategory == .control || scalar == "\u{2028}" || scalar == "\u{2029}"
    }

    private static func escaped(_ metadata: Logger.Metadata) -> Logger.Metadata {
        metadata.mapValues(escaped)
    }

    private static func escaped(_ value: Logger.Metadata.Value) -> Logger.Metadata.Value {
        switch value {
        case .string(let text): .string(escapedValue(text))
        case .stringConvertible(let convertible): .string(escapedValue(convertible.description))
        case .array(let values): .array(values.map(escaped))
        case .dictionary(let dictionary): .dictionary(escaped(dictionary))
        }
    }
}
