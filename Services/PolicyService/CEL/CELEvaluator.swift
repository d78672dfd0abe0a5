/// Evaluates a parsed expression (langdef "Evaluation"): errors are values that `&&`, `||`
/// and `?:` absorb where the definition says so; every step is charged to the budget.
struct CELEvaluator {
    private let variables: [String: CELValue]
    /// Comprehension variables, innermost last.
    private var locals: [(name: String, value: CELValue)] = []
    private var remaining: Int
    /// Compiled patterns of `matches`, by source.
    private let patterns: [String: CELRegex]

    /// Whether some variable's name has a dot (`a.b`): only then do selections need resolving
    /// as qualified names, which costs a string per selection.
    private let dottedNames: Bool

    init(variables: [String: CELValue], budget: Int, patterns: [String: CELRegex] = [:]) {
        self.variables = variables
        dottedNames = variables.keys.contains { $0.utf8.contains(0x2E) }
        remaining = budget
        self.patterns = patterns
    }

    mutating func charge(_ steps: Int) throws(CELError) {
        remaining -= steps
        if remaining < 0 { throw CELError("the expression's cost budget is spent") }
    }

    private mutating func attempt(_ expression: CELExpression) -> Result<CELValue, CELError> {
        do {
            return .success(try evaluate(expression))
        } catch {
            // A spent budget is never absorbed.
            return .failure(error)
        }
    }

    private var spent: Bool { remaining < 0 }

    mutating func evaluate(_ expression: CELExpression) throws(CELError) -> CELValue {
        try charge(1)
        switch expression {
        case .literal(let value):
            return value
        case .identifier(let name):
            return try resolve(name)
        case .select(let operand, let field):
            if dottedNames, let path = Self.qualifiedName(expression), let (value, rest) = resolveQualified(path) {
                var current = value
                for field in rest { current = try CELFunctions.select(current, field) }
                return current
            }
            // google.protobuf.Timestamp and google.protobuf.Duration name types (unless a
            // variable google says otherwise).
            if field == "Timestamp" || field == "Duration", let path = Self.qualifiedName(expression),
               local(path[0]) == nil, variables[path[0]] == nil, let type = CELType(rawValue: path.joined(separator: "."))
            {
                return .type(type)
            }
            return try CELFunctions.select(try evaluate(operand), field)
        case .has(let operand, let field):
            let value = try evaluate(operand)
            switch value {
            case .map(let map): return .bool(map[field] != nil)
            default: throw CELError("has() applies to a map's field, not to a value of type \(value.type.rawValue)")
            }
        case .call(let function, let target, let arguments):
            var values: [CELValue] = []
            values.reserveCapacity(arguments.count + 1)
            if let target { values.append(try evaluate(target)) }
            for argument in arguments { values.append(try evaluate(argument)) }
            let result =
                function == "matches" ? try matches(values) : try CELFunctions.call(function, receiver: target != nil, values)
            try charge(Self.size(result))
            return result
        case .list(let items):
            var values: [CELValue] = []
            values.reserveCapacity(items.count)
            for item in items { values.append(try evaluate(item)) }
            return .list(values)
        case .map(let entries):
            var map = CELMap()
            for (keyExpression, valueExpression) in entries {
                let key = try evaluate(keyExpression)
                let value = try evaluate(valueExpression)
                guard CELKey(key) != nil else { throw CELError("a map key must be an int, uint, bool or string, not \(key.type.rawValue)") }
                guard map.insert(key, value) else { throw CELError("a map literal has a key twice") }
            }
            return .map(map)
        case .conditional(let condition, let then, let otherwise):
            switch try evaluate(condition) {
            case .bool(true): return try evaluate(then)
            case .bool(false): return try evaluate(otherwise)
            case let other: throw CELError.noOverload("_?_:_", [other])
            }
        case .and(let left, let right):
            return try logic(left, right, decisive: false)
        case .or(let left, let right):
            return try logic(left, right, decisive: true)
        case .comprehension(let macro, let range, let variable, let predicate, let transform):
            return try comprehension(macro, range, variable, predicate, transform)
        }
    }

    /// `&&` (decisive false) and `||` (decisive true): either side's decisive value decides,
    /// whatever the other side is (an error too); otherwise an error on either side is the
    /// result (the left one first).
    private mutating func logic(_ left: CELExpression, _ right: CELExpression, decisive: Bool) throws(CELError) -> CELValue {
        let first = attempt(left)
        if case .success(.bool(decisive)) = first { return .bool(decisive) }
        if spent { throw CELError("the expression's cost budget is spent") }
        let second = attempt(right)
        if case .success(.bool(decisive)) = second { return .bool(decisive) }
        if spent { throw CELError("the expression's cost budget is spent") }
        let function = decisive ? "_||_" : "_&&_"
        for side in [first, second] {
            switch side {
            case .failure(let error): throw error
            case .success(.bool): continue
            case .success(let other): throw CELError.noOverload(function, [other])
            }
        }
        return .bool(!decisive)
    }

    private mutating func comprehension(
        _ macro: CELMacro, _ rangeExpression: CELExpression, _ variable: String, _ predicate: CELExpression?, _ transform: CELExpression?
    ) throws(CELError) -> CELValue {
        let range = try evaluate(rangeExpression)
        let elements: [CELValue]
        switch range {
        case .list(let list): elements = list
        case .map(let map): elements = map.entries.map(\.key)
        default: throw CELError("a macro ranges over a list or a map, not \(range.type.rawValue)")
        }
        locals.append((variable, .null))
        defer { locals.removeLast() }
        let slot = locals.count - 1
        var firstError: CELError?
        var count = 0
        var built: [CELValue] = []
        for element in elements {
            try charge(1)
            locals[slot].value = element
            switch macro {
            case .all, .exists:
                let decisive = macro == .exists
                switch attempt(predicate!) {
                case .success(.bool(decisive)): return .bool(decisive)
                case .success(.bool): break
                case .success(let other): if firstError == nil { firstError = CELError.noOverload(decisive ? "exists" : "all", [other]) }
                case .failure(let error):
                    if spent { throw error }
                    if firstError == nil { firstError = error }
                }
            case .existsOne:
                switch try evaluate(predicate!) {
                case .bool(true): count += 1
                case .bool(false): break
                case let other: throw CELError.noOverload("exists_one", [other])
                }
            case .filter:
                switch try evaluate(predicate!) {
                case .bool(true): built.append(element)
                case .bool(false): break
                case let other: throw CELError.noOverload("filter", [other])
                }
            case .map:
                if let predicate {
                    switch try evaluate(predicate) {
                    case .bool(true): break
                    case .bool(false): continue
                    case let other: throw CELError.noOverload("map", [other])
                    }
                }
                built.append(try evaluate(transform!))
            }
        }
        switch macro {
        case .all, .exists:
            if let firstError { throw firstError }
            return .bool(macro == .all)
        case .existsOne: return .bool(count == 1)
        case .filter, .map: return .list(built)
        }
    }

    /// `text.matches(pattern)` or `matches(text, pattern)`: a pattern not compiled with the
    /// program is compiled now, at a cost of its length.
    private mutating func matches(_ values: [CELValue]) throws(CELError) -> CELValue {
        guard values.count == 2, case .string(let text) = values[0], case .string(let pattern) = values[1] else {
            throw CELError.noOverload("matches", values)
        }
        let regex: CELRegex
        if let compiled = patterns[pattern] {
            regex = compiled
        } else {
            try charge(pattern.unicodeScalars.count * 10)
            regex = try CELRegex(pattern)
        }
        // The NFA visits at most every instruction at every position.
        try charge(text.unicodeScalars.count * (regex.size / 4 + 1))
        return .bool(regex.matches(text))
    }

    private func local(_ name: String) -> CELValue? {
        for entry in locals.reversed() where entry.name == name { return entry.value }
        return nil
    }

    private func resolve(_ name: String) throws(CELError) -> CELValue {
        if let value = local(name) ?? variables[name] { return value }
        if let type = CELType(rawValue: name) { return .type(type) }
        throw CELError("undeclared reference to '\(name)'")
    }

    /// `a.b.c` as its names, when the expression is only identifiers and selections.
    static func qualifiedName(_ expression: CELExpression) -> [String]? {
        switch expression {
        case .identifier(let name): return [name]
        case .select(let operand, let field):
            guard var names = qualifiedName(operand) else { return nil }
            names.append(field)
            return names
        default: return nil
        }
    }

    /// The longest prefix of `path` that names a variable (`a.b.c`, then `a.b`, then `a`), its
    /// value and the fields left to select. A comprehension variable shadows them all.
    private func resolveQualified(_ path: [String]) -> (CELValue, ArraySlice<String>)? {
        if let value = local(path[0]) { return (value, path.dropFirst()) }
        for length in stride(from: path.count, through: 1, by: -1) {
            if let value = variables[path[0..<length].joined(separator: ".")] { return (value, path.dropFirst(length)) }
        }
        return nil
    }

    /// What building `value` costs: its elements or bytes.
    static func size(_ value: CELValue) -> Int {
        switch value {
        case .string(let text): text.utf8.count / 64
        case .bytes(let bytes): bytes.count / 64
        case .list(let list): list.count
        case .map(let map): map.count
        default: 0
        }
    }
}
