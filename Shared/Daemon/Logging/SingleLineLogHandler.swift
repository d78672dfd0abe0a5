import Logging

/// swift-log's stream handler's lines, each event kept on one line that parses one way. Metadata
/// carries what clients send — a username, a client address — so without this a username with
/// a newline in it could forge a second event, and one with a space a second field
/// (one structured line per event, docs/events.md). In messages and metadata values a backslash is
/// written `\\`, and every character that does not print — controls, format characters
/// (U+202E, U+200B), line and paragraph separators, private-use and unassigned code points —
/// `\u{hex}`; a metadata value with a space, `=` or `"` in it (or none at all) is written in
/// double quotes, `"` inside as `\"`. A value longer than `maximumValueBytes` is cut there and
/// says how much was left out, so no field can make a line a megabyte long.
public struct SingleLineLogHandler: LogHandler {
    /// Where finished lines go: one call per line, newline included.
    public typealias Output = @Sendable (UnsafeRawBufferPointer) -> Void

    private let label: String
    private let output: Output
    private var escapedMetadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    public var metadataProvider: Logger.MetadataProvider?

    /// Lines go to standard output, each in one `write`.
    public init(label: String, output: @escaping Output = StandardOutputLines.write) {
        self.label = label
        self.output = output
    }

    /// Writes the line swift-log's `StreamLogHandler` writes,
    /// `<time> <level> <label>: <key=value …> [<source>] <message>`, built in one buffer: the
    /// stream handler's string interpolations, dictionary merges and `localtime` per line
    /// cost an app-password login a tenth of its time (docs/benchmarks.md).
    public func log(event: LogEvent) {
        var line: [UInt8] = []
        line.reserveCapacity(256)
        LogTimestamp.append(to: &line)
        line.append(32)
        line.append(contentsOf: event.level.rawValue.utf8)
        if !label.isEmpty {
            line.append(32)
            line.append(contentsOf: label.utf8)
        }
        line.append(58)  // :
        for (key, value) in effectiveMetadata(event) {
            line.append(32)
            line.append(contentsOf: key.utf8)
            line.append(61)  // =
            line.append(contentsOf: value.description.utf8)
        }
        line.append(contentsOf: " [".utf8)
        line.append(contentsOf: event.source.utf8)
        line.append(contentsOf: "] ".utf8)
        line.append(contentsOf: Self.escaped(event.message.description).utf8)
        line.append(10)
        line.withUnsafeBytes(output)
    }

    /// The handler's metadata, then the provider's, then the event's, escaped and sorted by
    /// key; as swift-log's stream handler merges them. An event's metadata alone, the usual
    /// case, is escaped and sorted without building a merged dictionary.
    private func effectiveMetadata(_ event: LogEvent) -> [(key: String, value: Logger.Metadata.Value)] {
        let provided = metadataProvider?.get() ?? [:]
        if escapedMetadata.isEmpty, provided.isEmpty, event.error == nil {
            guard let explicit = event.metadata, !explicit.isEmpty else { return [] }
            return explicit.map { (key: $0.key, value: Self.escaped($0.value)) }.sorted { $0.key < $1.key }
        }
        return merged(event, provided: provided).sorted { $0.key < $1.key }
    }

    private func merged(_ event: LogEvent, provided: Logger.Metadata) -> Logger.Metadata {
        var metadata = escapedMetadata
        if !provided.isEmpty {
            metadata.merge(Self.escaped(provided)) { _, provided in provided }
        }
        if let explicit = event.metadata, !explicit.isEmpty {
            metadata.merge(Self.escaped(explicit)) { _, explicit in explicit }
        }
        if let error = event.error {
            metadata["error.message"] = Self.escaped(.string("\(error)"))
            metadata["error.type"] = Self.escaped(.string(String(reflecting: type(of: error))))
        }
        return metadata
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { escapedMetadata[key] }
        set { escapedMetadata[key] = newValue.map(Self.escaped) }
    }

    public var metadata: Logger.Metadata {
        get { escapedMetadata }
        set { escapedMetadata = Self.escaped(newValue) }
    }

    /// The longest metadata value written, in UTF-8 bytes before escaping.
    public static let maximumValueBytes = 1024

    /// `text` with `\\` for a backslash and `\u{hex}` for a character that does not print.
    public static func escaped(_ text: String) -> String {
        // Printable ASCII without a backslash, the usual case, needs no look at Unicode.
        if text.utf8.allSatisfy({ (32...126).contains($0) && $0 != 92 }) { return text }
        guard text.unicodeScalars.contains(where: { $0 == "\\" || isNonPrinting($0) }) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            if scalar == "\\" {
                out += "\\\\"
            } else if isNonPrinting(scalar) {
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
        let text = capped(text)
        // Printable ASCII without a space, `=`, `"` or backslash goes as it is.
        if !text.isEmpty, text.utf8.allSatisfy({ (33...126).contains($0) && $0 != 92 && $0 != 61 && $0 != 34 }) {
            return text
        }
        let escapedText = escaped(text)
        guard escapedText.isEmpty || escapedText.contains(where: { $0 == " " || $0 == "=" || $0 == "\"" }) else {
            return escapedText
        }
        return "\"" + escapedText.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\\\"") + "\""
    }

    /// `text` cut at `maximumValueBytes` (on a character's boundary), saying how many bytes
    /// were left out.
    static func capped(_ text: String) -> String {
        let count = text.utf8.count
        guard count > maximumValueBytes else { return text }
        let utf8 = text.utf8
        var end = utf8.index(utf8.startIndex, offsetBy: maximumValueBytes)
        // Back to the first byte of the character the limit falls in.
        while end > utf8.startIndex && utf8[end] & 0xC0 == 0x80 { end = utf8.index(before: end) }
        let kept = String(text[..<end])
        return kept + "…[\(count - kept.utf8.count) more bytes]"
    }

    private static func isNonPrinting(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .privateUse, .unassigned, .surrogate: true
        default: false
        }
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
