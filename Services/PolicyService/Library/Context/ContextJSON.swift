/// A strict JSON parser for policy contexts (RFC 8259): one object, nothing after it, no
/// duplicate keys, nesting at most `maximumDepth`, strings as exact UTF-8 (a lone surrogate
/// escape is refused), whole numbers exact within Int64. Errors name the path and the byte
/// offset. Written here rather than taken from Foundation because every Evaluate parses one:
/// `JSONSerialization` costs several times more, accepts duplicate keys silently (the last
/// wins) and turns every number into a double.
public struct ContextJSON {
    public static let maximumDepth = 32

    public struct Problem: Error, Equatable, CustomStringConvertible {
        /// Where: `context.user.groups[2]`.
        public let path: String
        public let text: String
        public var description: String { "\(path): \(text)" }
    }

    /// A step of the path to the value being parsed; joined into text only for an error.
    private enum Step {
        case key(String)
        case index(Int)
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    /// What a problem's path starts with.
    private let root: String
    private var index = 0
    private var path: [Step] = []

    /// The object `text` holds; a problem's path starts with `root` (`context`, `prompt_data`).
    public static func parseObject(_ text: String, root: String = "context") throws(Problem) -> ContextObject {
        var text = text
        // A native string's bytes, read in place.
        let result = text.withUTF8 { bytes in Result { () throws(Problem) in try parse(bytes, root: root) } }
        return try result.get()
    }

    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>, root: String) throws(Problem) -> ContextObject {
        var parser = ContextJSON(bytes: bytes, root: root)
        parser.skipSpace()
        guard parser.peek() == UInt8(ascii: "{") else {
            throw Problem(path: root, text: "must be a JSON object")
        }
        let object = try parser.object(depth: 1)
        parser.skipSpace()
        guard parser.index == parser.bytes.count else {
            throw Problem(path: root, text: "has more after the object (byte \(parser.index))")
        }
        return object
    }

    private init(bytes: UnsafeBufferPointer<UInt8>, root: String) {
        self.bytes = bytes
        self.root = root
    }

    private func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func skipSpace() {
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
    }

    private func problem(_ text: String) -> Problem {
        let steps = path.map { step in
            switch step {
            case .key(let key): "." + key
            case .index(let index): "[\(index)]"
            }
        }
        return Problem(path: root + steps.joined(), text: "\(text) (byte \(index))")
    }

    private mutating func value(depth: Int) throws(Problem) -> ContextValue {
        skipSpace()
        guard let byte = peek() else { throw problem("the JSON ends where a value should be") }
        switch byte {
        case UInt8(ascii: "{"): return .object(try object(depth: depth))
        case UInt8(ascii: "["): return .array(try array(depth: depth))
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal(Self.trueBytes); return .bool(true)
        case UInt8(ascii: "f"): try literal(Self.falseBytes); return .bool(false)
        case UInt8(ascii: "n"): try literal(Self.nullBytes); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw problem("is not JSON")
        }
    }

    private static let trueBytes = Array("true".utf8)
    private static let falseBytes = Array("false".utf8)
    private static let nullBytes = Array("null".utf8)

    private mutating func literal(_ expected: [UInt8]) throws(Problem) {
        guard index + expected.count <= bytes.count else { throw problem("is not JSON") }
        for offset in 0..<expected.count where bytes[index + offset] != expected[offset] {
            throw problem("is not JSON")
        }
        index += expected.count
    }

    private mutating func object(depth: Int) throws(Problem) -> ContextObject {
        guard depth <= Self.maximumDepth else { throw problem("nests deeper than \(Self.maximumDepth) levels") }
        index += 1
        var members: [(key: String, value: ContextValue)] = []
        var keys: Set<String>?
        skipSpace()
        if peek() == UInt8(ascii: "}") {
            index += 1
            return ContextObject(members)
        }
        while true {
            skipSpace()
            guard peek() == UInt8(ascii: "\"") else { throw problem("expected a key in quotes") }
            let key = try string()
            // A short object is searched as it is; a long one keeps its keys in a set, so that a
            // 64 KiB object of thousands of keys costs no quadratic time.
            let seen: Bool
            if keys != nil {
                seen = !keys!.insert(key).inserted
            } else {
                seen = members.contains(where: { $0.key == key })
                if !seen, members.count >= 16 { keys = Set(members.map(\.key) + [key]) }
            }
            if seen { throw problem("has the key \(Self.quoted(key)) twice") }
            skipSpace()
            guard peek() == UInt8(ascii: ":") else { throw problem("expected ':' after a key") }
            index += 1
            path.append(.key(key))
            let member = try value(depth: depth + 1)
            path.removeLast()
            members.append((key, member))
            skipSpace()
            switch peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"): index += 1; return ContextObject(members)
            default: throw problem("expected ',' or '}' in an object")
            }
        }
    }

    private mutating func array(depth: Int) throws(Problem) -> [ContextValue] {
        guard depth <= Self.maximumDepth else { throw problem("nests deeper than \(Self.maximumDepth) levels") }
        index += 1
        var elements: [ContextValue] = []
        skipSpace()
        if peek() == UInt8(ascii: "]") {
            index += 1
            return elements
        }
        while true {
            path.append(.index(elements.count))
            elements.append(try value(depth: depth + 1))
            path.removeLast()
            skipSpace()
            switch peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"): index += 1; return elements
            default: throw problem("expected ',' or ']' in an array")
            }
        }
    }

    private mutating func string() throws(Problem) -> String {
        index += 1
        let start = index
        // The common case: no escapes, so the bytes are the string.
        while index < bytes.count, bytes[index] != UInt8(ascii: "\""), bytes[index] != UInt8(ascii: "\\") {
            guard bytes[index] >= 0x20 else { throw problem("holds an unescaped control character") }
            index += 1
        }
        guard index < bytes.count else { throw problem("a string is not closed") }
        if bytes[index] == UInt8(ascii: "\"") {
            index += 1
            // The text came in as a Swift String, so its bytes are valid UTF-8.
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<(index - 1)]), as: UTF8.self)
        }
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self).unicodeScalars)
        var raw: [UInt8] = []
        while true {
            guard index < bytes.count else { throw problem("a string is not closed") }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                break
            }
            if byte != UInt8(ascii: "\\") {
                guard byte >= 0x20 else { throw problem("holds an unescaped control character") }
                raw.append(byte)
                index += 1
                continue
            }
            scalars.append(contentsOf: String(decoding: raw, as: UTF8.self).unicodeScalars)
            raw.removeAll(keepingCapacity: true)
            index += 1
            guard let escape = peek() else { throw problem("a string is not closed") }
            index += 1
            switch escape {
            case UInt8(ascii: "\""): scalars.append("\"")
            case UInt8(ascii: "\\"): scalars.append("\\")
            case UInt8(ascii: "/"): scalars.append("/")
            case UInt8(ascii: "b"): scalars.append("\u{08}")
            case UInt8(ascii: "f"): scalars.append("\u{0C}")
            case UInt8(ascii: "n"): scalars.append("\n")
            case UInt8(ascii: "r"): scalars.append("\r")
            case UInt8(ascii: "t"): scalars.append("\t")
            case UInt8(ascii: "u"):
                let unit = try hex4()
                var value = UInt32(unit)
                if (0xD800...0xDBFF).contains(unit) {
                    guard peek() == UInt8(ascii: "\\"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "u") else {
                        throw problem("holds a lone surrogate escape")
                    }
                    index += 2
                    let low = try hex4()
                    guard (0xDC00...0xDFFF).contains(low) else { throw problem("holds a lone surrogate escape") }
                    value = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
                } else if (0xDC00...0xDFFF).contains(unit) {
                    throw problem("holds a lone surrogate escape")
                }
                guard let scalar = Unicode.Scalar(value) else { throw problem("holds an invalid escape") }
                scalars.append(scalar)
            default:
                throw problem("holds an invalid escape")
            }
        }
        scalars.append(contentsOf: String(decoding: raw, as: UTF8.self).unicodeScalars)
        return String(scalars)
    }

    private mutating func hex4() throws(Problem) -> UInt16 {
        guard index + 4 <= bytes.count else { throw problem("holds an invalid \\u escape") }
        var value: UInt16 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw problem("holds an invalid \\u escape")
            }
            value = value << 4 | UInt16(digit)
            index += 1
        }
        return value
    }

    private mutating func number() throws(Problem) -> ContextValue {
        let start = index
        if peek() == UInt8(ascii: "-") { index += 1 }
        guard let first = peek(), (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else {
            throw problem("is not a JSON number")
        }
        if first == UInt8(ascii: "0") {
            index += 1
        } else {
            digits()
        }
        var whole = true
        if peek() == UInt8(ascii: ".") {
            whole = false
            index += 1
            guard digits() > 0 else { throw problem("is not a JSON number") }
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            whole = false
            index += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { index += 1 }
            guard digits() > 0 else { throw problem("is not a JSON number") }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        if whole {
            guard let value = Int64(text) else { throw problem("is a whole number outside -2^63…2^63-1") }
            return .integer(value)
        }
        guard let value = Double(text), value.isFinite else { throw problem("is a number too large for a double") }
        return .double(value)
    }

    @discardableResult
    private mutating func digits() -> Int {
        let start = index
        while let byte = peek(), (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { index += 1 }
        return index - start
    }

    static func quoted(_ key: String) -> String {
        "\"" + String(key.unicodeScalars.prefix(64).map { $0.properties.generalCategory == .control ? "?" : Character($0) }) + "\""
    }
}
