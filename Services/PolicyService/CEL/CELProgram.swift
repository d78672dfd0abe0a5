/// A CEL expression parsed once, evaluated many times. The patterns of `matches` calls written
/// as literals are compiled here, once; a bad one makes the program fail to compile.
public struct CELProgram: Sendable {
    public let source: String
    let expression: CELExpression
    let patterns: [String: CELRegex]

    public init(_ source: String) throws(CELSyntaxError) {
        self.source = source
        expression = try CELParser.parse(source)
        var patterns: [String: CELRegex] = [:]
        for pattern in Self.literalPatterns(expression) where patterns[pattern] == nil {
            do {
                patterns[pattern] = try CELRegex(pattern)
            } catch {
                throw CELSyntaxError(line: 1, column: 1, message: "matches() pattern \"\(pattern)\": \(error.message)")
            }
        }
        self.patterns = patterns
    }

    /// The expression's value with `variables` bound; a failure is a `CELError`.
    public func evaluate(_ variables: [String: CELValue], budget: CELBudget = .standard) throws(CELError) -> CELValue {
        var evaluator = CELEvaluator(variables: variables, budget: budget.steps, patterns: patterns)
        return try evaluator.evaluate(expression)
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
