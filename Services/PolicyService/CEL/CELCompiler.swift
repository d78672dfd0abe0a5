/// One compiled expression: evaluates in a frame (langdef "Evaluation").
typealias CELCode = @Sendable (inout CELFrame) throws(CELError) -> CELValue

/// Compiles a parsed expression into closures, once per program, so that evaluating it does no
/// name resolution: comprehension variables become slots by depth, the free names of the
/// program a table looked up once per evaluation, `matches` patterns written as literals their
/// compiled automata, and the hottest operators their own closures. Every expression evaluated
/// charges one step; errors are values that `&&`, `||` and `?:` absorb where the definition says
/// so; a spent budget is absorbed by nothing.
struct CELCompiler {
    /// The free names the program uses (variables, or type names), in slot order.
    private(set) var names: [String] = []
    /// How deep comprehensions nest: the slots of comprehension variables an evaluation needs.
    private(set) var depth = 0
    private var slots: [String: Int] = [:]
    /// Comprehension variables in scope, innermost last: a name's index is its slot.
    private var scope: [String] = []
    /// The literal patterns of `matches` calls, each compiled once.
    var patterns: [String: CELRegex] = [:]

    /// Compiles `expression`; a literal `matches` pattern that is not linear-time, or does not
    /// parse, fails the compilation.
    mutating func compile(_ expression: CELExpression) throws(CELSyntaxError) -> CELCode {
        switch expression {
        case .literal(let value):
            return { f throws(CELError) in
                try f.charge(1)
                return value
            }
        case .identifier(let name):
            if let local = scope.lastIndex(of: name) {
                return { f throws(CELError) in
                    try f.charge(1)
                    return f.locals[local]
                }
            }
            let slot = slot(for: name)
            return { f throws(CELError) in
                try f.charge(1)
                return try f.resolve(slot: slot, name: name)
            }
        case .select(let operand, let field):
            let plain = Self.select(try compile(operand), field)
            guard let path = Self.qualifiedName(expression), scope.lastIndex(of: path[0]) == nil else { return plain }
            return qualified(path, plain)
        case .has(let operand, let field):
            let operand = try compile(operand)
            return { f throws(CELError) in
                try f.charge(1)
                let value = try operand(&f)
                guard case .map(let map) = value else {
                    throw CELError("has() applies to a map's field, not to a value of type \(value.type.rawValue)")
                }
                return .bool(map[field] != nil)
            }
        case .call(let function, let target, let arguments):
            let parts = (target.map { [$0] } ?? []) + arguments
            return try call(function, receiver: target != nil, try compileAll(parts), literals: parts)
        case .list(let items):
            let items = try compileAll(items)
            return { f throws(CELError) in
                try f.charge(1)
                var values: [CELValue] = []
                values.reserveCapacity(items.count)
                for item in items { values.append(try item(&f)) }
                return .list(values)
            }
        case .map(let entries):
            var compiled: [(key: CELCode, value: CELCode)] = []
            for entry in entries { compiled.append((try compile(entry.key), try compile(entry.value))) }
            let entries = compiled
            return { f throws(CELError) in
                try f.charge(1)
                var map = CELMap()
                for entry in entries {
                    let key = try entry.key(&f)
                    let value = try entry.value(&f)
                    guard CELKey(key) != nil else {
                        throw CELError("a map key must be an int, uint, bool or string, not \(key.type.rawValue)")
                    }
                    guard map.insert(key, value) else { throw CELError("a map literal has a key twice") }
                }
                return .map(map)
            }
        case .conditional(let condition, let then, let otherwise):
            let condition = try compile(condition)
            let then = try compile(then)
            let otherwise = try compile(otherwise)
            return { f throws(CELError) in
                try f.charge(1)
                switch try condition(&f) {
                case .bool(true): return try then(&f)
                case .bool(false): return try otherwise(&f)
                case let other: throw CELError.noOverload("_?_:_", [other])
                }
            }
        case .and(let left, let right):
            return Self.logic(try compile(left), try compile(right), decisive: false)
        case .or(let left, let right):
            return Self.logic(try compile(left), try compile(right), decisive: true)
        case .comprehension(let macro, let range, let variable, let predicate, let transform):
            let range = try compile(range)
            scope.append(variable)
            depth = max(depth, scope.count)
            let slot = scope.count - 1
            let predicate = try predicate.map { (e) throws(CELSyntaxError) in try compile(e) }
            let transform = try transform.map { (e) throws(CELSyntaxError) in try compile(e) }
            scope.removeLast()
            return Self.comprehension(macro, range, slot, predicate, transform)
        }
    }

    private mutating func compileAll(_ expressions: [CELExpression]) throws(CELSyntaxError) -> [CELCode] {
        var codes: [CELCode] = []
        codes.reserveCapacity(expressions.count)
        for expression in expressions { codes.append(try compile(expression)) }
        return codes
    }

    private mutating func slot(for name: String) -> Int {
        if let slot = slots[name] { return slot }
        slots[name] = names.count
        names.append(name)
        return names.count - 1
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

    private static func select(_ operand: @escaping CELCode, _ field: String) -> CELCode {
        { f throws(CELError) in
            try f.charge(1)
            return try CELFunctions.select(try operand(&f), field)
        }
    }

    /// A selection chain rooted at a free name: with dotted variable names, the longest
    /// prefix that names one; `google.protobuf.Timestamp` and `…Duration` name types unless a
    /// variable `google` says otherwise; else the plain selection.
    private mutating func qualified(_ path: [String], _ plain: @escaping CELCode) -> CELCode {
        let root = slot(for: path[0])
        let typeName: CELType? =
            path.last == "Timestamp" || path.last == "Duration" ? CELType(rawValue: path.joined(separator: ".")) : nil
        return { f throws(CELError) in
            if f.variables.dotted, let (value, rest) = f.resolveQualified(path) {
                try f.charge(1)
                var current = value
                for field in rest { current = try CELFunctions.select(current, field) }
                return current
            }
            if let typeName, f.bound[root] == nil {
                try f.charge(1)
                return .type(typeName)
            }
            return try plain(&f)
        }
    }

    /// `&&` (decisive false) and `||` (decisive true): either side's decisive value decides,
    /// whatever the other side is (an error too); otherwise an error on either side is the
    /// result (the left one first).
    private static func logic(_ left: @escaping CELCode, _ right: @escaping CELCode, decisive: Bool) -> CELCode {
        let function = decisive ? "_||_" : "_&&_"
        return { f throws(CELError) in
            try f.charge(1)
            let first = attempt(left, &f)
            if case .success(.bool(decisive)) = first { return .bool(decisive) }
            if f.spent { throw CELError.budgetSpent }
            let second = attempt(right, &f)
            if case .success(.bool(decisive)) = second { return .bool(decisive) }
            if f.spent { throw CELError.budgetSpent }
            try check(first, function)
            try check(second, function)
            return .bool(!decisive)
        }
    }

    /// A side of `&&` or `||` that did not decide: a bool, else its error.
    private static func check(_ side: Result<CELValue, CELError>, _ function: String) throws(CELError) {
        switch side {
        case .failure(let error): throw error
        case .success(.bool): return
        case .success(let other): throw CELError.noOverload(function, [other])
        }
    }

    static func attempt(_ code: CELCode, _ f: inout CELFrame) -> Result<CELValue, CELError> {
        do {
            return .success(try code(&f))
        } catch {
            return .failure(error)
        }
    }
}
