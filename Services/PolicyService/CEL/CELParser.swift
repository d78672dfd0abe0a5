/// CEL's grammar (langdef "Syntax"), by recursive descent, with its limits: at most
/// `maximumDepth` levels of nesting (each parenthesis, call, list, map or unary operator is
/// about two: 32 nested parentheses parse, as the conformance data wants) and `maximumLength`
/// characters.
struct CELParser {
    static let maximumDepth = 100
    static let maximumLength = 16 * 1024
    /// Words that may not name a variable or a function (they may follow a '.').
    static let reserved: Set<String> = [
        "as", "break", "const", "continue", "else", "for", "function", "if", "import", "let", "loop", "package",
        "namespace", "return", "var", "void", "while",
    ]

    private let tokens: [(token: CELToken, at: CELPosition)]
    private var index = 0
    private var depth = 0

    static func parse(_ source: String) throws(CELSyntaxError) -> CELExpression {
        guard source.unicodeScalars.count <= maximumLength else {
            throw CELSyntaxError(line: 1, column: 1, message: "the expression is longer than \(maximumLength) characters")
        }
        var parser = CELParser(tokens: try CELLexer.tokens(source))
        let expression = try parser.expression()
        guard parser.current == .end else { throw parser.error("unexpected \(parser.describe(parser.current)) after the expression") }
        return expression
    }

    private init(tokens: [(token: CELToken, at: CELPosition)]) { self.tokens = tokens }

    private var current: CELToken { tokens[index].token }

    private func error(_ message: String) -> CELSyntaxError {
        let at = tokens[index].at
        return CELSyntaxError(line: at.line, column: at.column, message: message)
    }

    private func describe(_ token: CELToken) -> String {
        switch token {
        case .end: "end of input"
        case .symbol(let text): "'\(text)'"
        case .identifier(let name), .quotedIdentifier(let name): "'\(name)'"
        default: "a literal"
        }
    }

    private mutating func take(_ symbol: String) -> Bool {
        guard current == .symbol(symbol) else { return false }
        index += 1
        return true
    }

    private mutating func expect(_ symbol: String) throws(CELSyntaxError) {
        guard take(symbol) else { throw error("expected '\(symbol)', found \(describe(current))") }
    }

    private mutating func nested<T>(_ body: (inout CELParser) throws(CELSyntaxError) -> T) throws(CELSyntaxError) -> T {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maximumDepth else { throw error("the expression nests deeper than \(Self.maximumDepth) levels") }
        return try body(&self)
    }

    // Expr = ConditionalOr ["?" ConditionalOr ":" Expr]
    private mutating func expression() throws(CELSyntaxError) -> CELExpression {
        try nested { parser throws(CELSyntaxError) in
            let condition = try parser.conditionalOr()
            guard parser.take("?") else { return condition }
            let then = try parser.conditionalOr()
            try parser.expect(":")
            let otherwise = try parser.expression()
            return .conditional(condition, then, otherwise)
        }
    }

    private mutating func conditionalOr() throws(CELSyntaxError) -> CELExpression {
        var left = try conditionalAnd()
        while take("||") { left = .or(left, try conditionalAnd()) }
        return left
    }

    private mutating func conditionalAnd() throws(CELSyntaxError) -> CELExpression {
        var left = try relation()
        while take("&&") { left = .and(left, try relation()) }
        return left
    }

    private static let relations = ["<": "_<_", "<=": "_<=_", ">": "_>_", ">=": "_>=_", "==": "_==_", "!=": "_!=_", "in": "@in"]

    private mutating func relation() throws(CELSyntaxError) -> CELExpression {
        var left = try addition()
        while case .symbol(let symbol) = current, let function = Self.relations[symbol] {
            index += 1
            left = .call(function: function, target: nil, arguments: [left, try addition()])
        }
        return left
    }

    private mutating func addition() throws(CELSyntaxError) -> CELExpression {
        var left = try multiplication()
        while case .symbol(let symbol) = current, symbol == "+" || symbol == "-" {
            index += 1
            left = .call(function: "_\(symbol)_", target: nil, arguments: [left, try multiplication()])
        }
        return left
    }

    private mutating func multiplication() throws(CELSyntaxError) -> CELExpression {
        var left = try unary()
        while case .symbol(let symbol) = current, symbol == "*" || symbol == "/" || symbol == "%" {
            index += 1
            left = .call(function: "_\(symbol)_", target: nil, arguments: [left, try unary()])
        }
        return left
    }

    // Unary = Member | "!" {"!"} Member | "-" {"-"} Member
    private mutating func unary() throws(CELSyntaxError) -> CELExpression {
        try nested { parser throws(CELSyntaxError) in
            if parser.take("!") {
                return .call(function: "!_", target: nil, arguments: [try parser.unary()])
            }
            if parser.take("-") {
                // A negative literal is one token's worth: -9223372036854775808 is an int.
                switch parser.current {
                case .int(let value) where !parser.followedByMember:
                    parser.index += 1
                    return .literal(.int(-value))
                case .intOverflow(let text) where !parser.followedByMember:
                    guard text == "9223372036854775808" || text.lowercased() == "0x8000000000000000" else {
                        throw parser.error("\(text) is larger than an int")
                    }
                    parser.index += 1
                    return .literal(.int(.min))
                case .double(let value) where !parser.followedByMember:
                    parser.index += 1
                    return .literal(.double(-value))
                default:
                    return .call(function: "-_", target: nil, arguments: [try parser.unary()])
                }
            }
            return try parser.member()
        }
    }

    /// Whether the token after the current one selects or indexes (so `-1.x` is not `(-1).x`…).
    private var followedByMember: Bool {
        guard index + 1 < tokens.count else { return false }
        return tokens[index + 1].token == .symbol(".") || tokens[index + 1].token == .symbol("[")
    }

    // Member = Primary | Member "." IDENT ["(" [ExprList] ")"] | Member "[" Expr "]"
    private mutating func member() throws(CELSyntaxError) -> CELExpression {
        var operand = try primary()
        while true {
            if take(".") {
                let name: String
                switch current {
                case .identifier(let text), .quotedIdentifier(let text): name = text
                case .trueLiteral: name = "true"
                case .falseLiteral: name = "false"
                case .null: name = "null"
                case .symbol("in"): name = "in"
                default: throw error("expected a field or method name after '.', found \(describe(current))")
                }
                let quoted = if case .quotedIdentifier = current { true } else { false }
                index += 1
                if !quoted, take("(") {
                    let arguments = try argumentList(closing: ")")
                    operand = try Self.receiverCall(name, operand, arguments, at: self)
                } else {
                    operand = .select(operand, field: name)
                }
            } else if take("[") {
                let key = try expression()
                try expect("]")
                operand = .call(function: "_[_]", target: nil, arguments: [operand, key])
            } else {
                return operand
            }
        }
    }

    // Primary = ["."] IDENT ["(" [ExprList] ")"] | "(" Expr ")" | "[" [ExprList] [","] "]"
    //         | "{" [MapInits] [","] "}" | Literal
    private mutating func primary() throws(CELSyntaxError) -> CELExpression {
        let token = current
        index += 1
        switch token {
        case .int(let value): return .literal(.int(value))
        case .intOverflow(let text): index -= 1; throw error("\(text) is larger than an int")
        case .uint(let value): return .literal(.uint(value))
        case .double(let value): return .literal(.double(value))
        case .string(let value): return .literal(.string(value))
        case .bytes(let value): return .literal(.bytes(value))
        case .trueLiteral: return .literal(.bool(true))
        case .falseLiteral: return .literal(.bool(false))
        case .null: return .literal(.null)
        case .symbol("."):
            guard case .identifier(let name) = current else { throw error("expected a name after a leading '.'") }
            index += 1
            return try identifierOrCall(name)
        case .identifier(let name):
            return try identifierOrCall(name)
        case .symbol("("):
            let inner = try expression()
            try expect(")")
            return inner
        case .symbol("["):
            return .list(try nested { parser throws(CELSyntaxError) in try parser.argumentList(closing: "]", trailingComma: true) })
        case .symbol("{"):
            return try nested { parser throws(CELSyntaxError) in try parser.mapLiteral() }
        default:
            index -= 1
            throw error("unexpected \(describe(token))")
        }
    }

    private mutating func identifierOrCall(_ name: String) throws(CELSyntaxError) -> CELExpression {
        guard !Self.reserved.contains(name) else {
            index -= 1
            throw error("'\(name)' is a reserved word")
        }
        if take("(") {
            let arguments = try argumentList(closing: ")")
            if name == "has" {
                guard arguments.count == 1, case .select(let operand, let field) = arguments[0] else {
                    throw error("has() takes one field selection, such as has(a.b)")
                }
                return .has(operand, field: field)
            }
            return .call(function: name, target: nil, arguments: arguments)
        }
        if current == .symbol("{") {
            throw error("message construction (\(name){…}) is not supported: there are no message types")
        }
        return .identifier(name)
    }

    private mutating func argumentList(closing: String, trailingComma: Bool = false) throws(CELSyntaxError) -> [CELExpression] {
        var items: [CELExpression] = []
        if take(closing) { return items }
        while true {
            items.append(try expression())
            if take(closing) { return items }
            try expect(",")
            if trailingComma, take(closing) { return items }
        }
    }

    private mutating func mapLiteral() throws(CELSyntaxError) -> CELExpression {
        var entries: [(key: CELExpression, value: CELExpression)] = []
        if take("}") { return .map(entries) }
        while true {
            let key = try expression()
            try expect(":")
            entries.append((key, try expression()))
            if take("}") { return .map(entries) }
            try expect(",")
            if take("}") { return .map(entries) }
        }
    }

    /// `target.name(arguments)`: a macro when its name and shape are one, else a method call.
    private static func receiverCall(
        _ name: String, _ target: CELExpression, _ arguments: [CELExpression], at parser: CELParser
    ) throws(CELSyntaxError) -> CELExpression {
        let macro: CELMacro? =
            switch name {
            case "all": .all
            case "exists": .exists
            case "exists_one": .existsOne
            case "map": .map
            case "filter": .filter
            default: nil
            }
        guard let macro, arguments.count == 2 || (macro == .map && arguments.count == 3) else {
            return .call(function: name, target: target, arguments: arguments)
        }
        guard case .identifier(let variable) = arguments[0] else {
            throw parser.error("\(name)()'s first argument must be a variable name")
        }
        switch macro {
        case .map where arguments.count == 3:
            return .comprehension(.map, range: target, variable: variable, predicate: arguments[1], transform: arguments[2])
        case .map:
            return .comprehension(.map, range: target, variable: variable, predicate: nil, transform: arguments[1])
        default:
            return .comprehension(macro, range: target, variable: variable, predicate: arguments[1], transform: nil)
        }
    }
}
