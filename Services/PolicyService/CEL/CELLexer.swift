/// Splits a CEL expression into tokens (langdef "Syntax": numbers, strings and bytes with
/// every escape, raw and triple-quoted forms, identifiers, operators).
struct CELLexer {
    private let scalars: [Unicode.Scalar]
    private var index = 0
    private var line = 1
    private var column = 1

    init(_ source: String) { scalars = Array(source.unicodeScalars) }

    /// Every token with where it starts, `.end` last.
    static func tokens(_ source: String) throws(CELSyntaxError) -> [(token: CELToken, at: CELPosition)] {
        var lexer = CELLexer(source)
        var tokens: [(CELToken, CELPosition)] = []
        while true {
            lexer.skipSpaceAndComments()
            let at = CELPosition(line: lexer.line, column: lexer.column)
            let token = try lexer.next()
            tokens.append((token, at))
            if token == .end { return tokens }
        }
    }

    private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        index + offset < scalars.count ? scalars[index + offset] : nil
    }

    private mutating func advance() -> Unicode.Scalar {
        let scalar = scalars[index]
        index += 1
        if scalar == "\n" {
            line += 1
            column = 1
        } else {
            column += 1
        }
        return scalar
    }

    private func error(_ message: String) -> CELSyntaxError {
        CELSyntaxError(line: line, column: column, message: message)
    }

    private mutating func skipSpaceAndComments() {
        while let scalar = peek() {
            if scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" || scalar == "\u{0C}" {
                _ = advance()
            } else if scalar == "/", peek(1) == "/" {
                while let next = peek(), next != "\n" { _ = advance() }
            } else {
                return
            }
        }
    }

    private static func isDigit(_ scalar: Unicode.Scalar?) -> Bool {
        guard let scalar else { return false }
        return ("0"..."9").contains(scalar)
    }

    private static func isHex(_ scalar: Unicode.Scalar?) -> Bool {
        guard let scalar else { return false }
        return isDigit(scalar) || ("a"..."f").contains(scalar) || ("A"..."F").contains(scalar)
    }

    private static func isIdentifierStart(_ scalar: Unicode.Scalar?) -> Bool {
        guard let scalar else { return false }
        return ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || scalar == "_"
    }

    private mutating func next() throws(CELSyntaxError) -> CELToken {
        guard let scalar = peek() else { return .end }
        if Self.isDigit(scalar) || (scalar == "." && Self.isDigit(peek(1))) { return try number() }
        if scalar == "\"" || scalar == "'" { return .string(try quoted(raw: false, bytes: false).text) }
        if Self.isIdentifierStart(scalar) {
            // String and bytes prefixes: r, b, rb, br (either case).
            let lower = String(scalar).lowercased()
            let second = peek(1).map { String($0).lowercased() }
            if lower == "r" || lower == "b" {
                if peek(1) == "\"" || peek(1) == "'" {
                    _ = advance()
                    let value = try quoted(raw: lower == "r", bytes: lower == "b")
                    return lower == "b" ? .bytes(value.bytes) : .string(value.text)
                }
                if let second, (lower == "r" && second == "b") || (lower == "b" && second == "r"),
                   peek(2) == "\"" || peek(2) == "'"
                {
                    _ = advance()
                    _ = advance()
                    return .bytes(try quoted(raw: true, bytes: true).bytes)
                }
            }
            var name = ""
            while let next = peek(), Self.isIdentifierStart(next) || Self.isDigit(next) { name.unicodeScalars.append(advance()) }
            switch name {
            case "true": return .trueLiteral
            case "false": return .falseLiteral
            case "null": return .null
            case "in": return .symbol("in")
            default: return .identifier(name)
            }
        }
        if scalar == "`" {
            _ = advance()
            var name = ""
            while let next = peek(), next != "`" {
                guard next != "\n" else { throw error("a quoted field name is not closed") }
                name.unicodeScalars.append(advance())
            }
            guard peek() == "`" else { throw error("a quoted field name is not closed") }
            _ = advance()
            guard !name.isEmpty else { throw error("a quoted field name is empty") }
            return .quotedIdentifier(name)
        }
        let two = peek(1).map { String(scalar) + String($0) } ?? ""
        if ["||", "&&", "==", "!=", "<=", ">="].contains(two) {
            _ = advance()
            _ = advance()
            return .symbol(two)
        }
        if "?:!<>+-*/%.,[]{}()".unicodeScalars.contains(scalar) {
            _ = advance()
            return .symbol(String(scalar))
        }
        if scalar == "=" || scalar == "|" || scalar == "&" {
            throw error("unexpected '\(scalar)' (did you mean '\(scalar)\(scalar)'?)")
        }
        throw error("unexpected character U+\(String(scalar.value, radix: 16, uppercase: true))")
    }

    private mutating func number() throws(CELSyntaxError) -> CELToken {
        var text = ""
        if peek() == "0", peek(1) == "x" || peek(1) == "X" {
            _ = advance()
            _ = advance()
            while Self.isHex(peek()) { text.unicodeScalars.append(advance()) }
            guard !text.isEmpty else { throw error("a hex literal has no digits") }
            if peek() == "u" || peek() == "U" {
                _ = advance()
                guard let value = UInt64(text, radix: 16) else { throw error("0x\(text)u is larger than a uint") }
                return .uint(value)
            }
            guard let value = Int64(text, radix: 16) else {
                guard UInt64(text, radix: 16) != nil else { throw error("0x\(text) is larger than an int") }
                return .intOverflow("0x" + text)
            }
            return .int(value)
        }
        var isDouble = false
        while Self.isDigit(peek()) { text.unicodeScalars.append(advance()) }
        if peek() == ".", Self.isDigit(peek(1)) {
            isDouble = true
            text.unicodeScalars.append(advance())
            while Self.isDigit(peek()) { text.unicodeScalars.append(advance()) }
        }
        if peek() == "e" || peek() == "E" {
            let sign = peek(1) == "+" || peek(1) == "-"
            if Self.isDigit(peek(sign ? 2 : 1)) {
                isDouble = true
                text.unicodeScalars.append(advance())
                if sign { text.unicodeScalars.append(advance()) }
                while Self.isDigit(peek()) { text.unicodeScalars.append(advance()) }
            }
        }
        if isDouble {
            guard let value = Double(text.hasPrefix(".") ? "0" + text : text) else { throw error("\(text) is not a number") }
            return .double(value)
        }
        if peek() == "u" || peek() == "U" {
            _ = advance()
            guard let value = UInt64(text) else { throw error("\(text)u is larger than a uint") }
            return .uint(value)
        }
        guard let value = Int64(text) else {
            guard text == "9223372036854775808" else { throw error("\(text) is larger than an int") }
            return .intOverflow(text)
        }
        return .int(value)
    }

    /// A quoted literal after its prefix: its text (for a string) or its bytes (for bytes).
    private mutating func quoted(raw: Bool, bytes: Bool) throws(CELSyntaxError) -> (text: String, bytes: [UInt8]) {
        let quote = advance()
        let triple = peek() == quote && peek(1) == quote
        if triple {
            _ = advance()
            _ = advance()
        }
        var out: [UInt8] = []
        var scalarsOut = String.UnicodeScalarView()
        func append(_ scalar: Unicode.Scalar) {
            if bytes { out.append(contentsOf: Array(String(scalar).utf8)) } else { scalarsOut.append(scalar) }
        }
        while true {
            guard let scalar = peek() else { throw error("a string literal is not closed") }
            if scalar == quote {
                if !triple {
                    _ = advance()
                    break
                }
                if peek(1) == quote, peek(2) == quote {
                    _ = advance()
                    _ = advance()
                    _ = advance()
                    break
                }
            }
            if scalar == "\n" || scalar == "\r", !triple { throw error("a string literal is not closed on its line") }
            if scalar != "\\" || raw {
                append(advance())
                continue
            }
            _ = advance()
            guard let escape = peek() else { throw error("a string literal is not closed") }
            _ = advance()
            switch escape {
            case "a": append("\u{07}")
            case "b": append("\u{08}")
            case "f": append("\u{0C}")
            case "n": append("\n")
            case "r": append("\r")
            case "t": append("\t")
            case "v": append("\u{0B}")
            case "\\", "?", "\"", "'", "`": append(escape)
            case "x", "X":
                let value = try hexDigits(2)
                if bytes { out.append(UInt8(value)) } else { scalarsOut.append(Unicode.Scalar(UInt8(value))) }
            case "u", "U":
                guard !bytes else { throw error("\\\(escape) is not allowed in a bytes literal") }
                let value = try hexDigits(escape == "u" ? 4 : 8)
                guard let scalar = Unicode.Scalar(value) else { throw error("\\\(escape) names no Unicode scalar (a surrogate or past U+10FFFF)") }
                scalarsOut.append(scalar)
            case "0"..."3":
                guard let second = peek(), ("0"..."7").contains(second), let third = peek(1), ("0"..."7").contains(third) else {
                    throw error("an octal escape takes three digits")
                }
                _ = advance()
                _ = advance()
                let value = (escape.value - 48) * 64 + (second.value - 48) * 8 + (third.value - 48)
                if bytes { out.append(UInt8(value)) } else { scalarsOut.append(Unicode.Scalar(UInt8(value))) }
            default:
                throw error("\\\(escape) is not an escape")
            }
        }
        return (String(scalarsOut), out)
    }

    private mutating func hexDigits(_ count: Int) throws(CELSyntaxError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<count {
            guard let scalar = peek(), Self.isHex(scalar) else { throw error("a hex escape takes \(count) hex digits") }
            _ = advance()
            value = value * 16 + UInt32(Int(String(scalar), radix: 16)!)
        }
        return value
    }
}
