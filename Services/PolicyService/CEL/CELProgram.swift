/// A CEL expression parsed and compiled once, evaluated many times (`CELCompiler`). The
/// patterns of `matches` calls written as literals are compiled here, once; a bad one makes the
/// program fail to compile.
public struct CELProgram: Sendable {
    public let source: String
    private let code: CELCode
    /// The program's free names, looked up once per evaluation.
    private let names: [String]
    /// How deep its comprehensions nest.
    private let depth: Int

    public init(_ source: String) throws(CELSyntaxError) {
        self.source = source
        let expression = try CELParser.parse(source)
        var patterns: [String: CELRegex] = [:]
        for pattern in Self.literalPatterns(expression) where patterns[pattern] == nil {
            do {
                patterns[pattern] = try CELRegex(pattern)
            } catch {
                throw CELSyntaxError(line: 1, column: 1, message: "matches() pattern \"\(pattern)\": \(error.message)")
            }
        }
        var compiler = CELCompiler(patterns: patterns)
        code = compiler.compile(expression)
        names = compiler.names
        depth = compiler.depth
    }

    /// The expression's value with `variables` bound; a failure is a `CELError`.
    public func evaluate(_ variables: [String: CELValue], budget: CELBudget = .standard) throws(CELError) -> CELValue {
        try evaluate(CELVariables(variables), budget: budget)
    }

    /// The expression's value with prepared `variables` bound; a failure is a `CELError`.
    public func evaluate(_ variables: CELVariables, budget: CELBudget = .standard) throws(CELError) -> CELValue {
        var frame = CELFrame(
            remaining: budget.steps,
            locals: depth == 0 ? [] : Array(repeating: .null, count: depth),
            bound: names.map { variables.values[$0] },
            variables: variables)
        return try code(&frame)
    }

    /// The string literals given as the pattern of a `matches` call.
    private static func literalPatterns(_ expression: CELExpression) -> [String] {
        switch expression {
        case .literal, .identifier: return []
        case .select(let operand, _), .has(let operand, _): return literalPatterns(operand)
        case .call(let function, let target, let arguments):
            var found = (target.map(literalPatterns) ?? []) + arguments.flatMap(literalPatterns)
            if function == "matches", let last = arguments.last, case .literal(.string(let pattern)) = last,
               arguments.count == (target == nil ? 2 : 1)
            {
                found.append(pattern)
            }
            return found
        case .list(let items): return items.flatMap(literalPatterns)
        case .map(let entries): return entries.flatMap { literalPatterns($0.key) + literalPatterns($0.value) }
        case .conditional(let a, let b, let c): return literalPatterns(a) + literalPatterns(b) + literalPatterns(c)
        case .and(let a, let b), .or(let a, let b): return literalPatterns(a) + literalPatterns(b)
        case .comprehension(_, let range, _, let predicate, let transform):
            return literalPatterns(range) + (predicate.map(literalPatterns) ?? []) + (transform.map(literalPatterns) ?? [])
        }
    }
}
