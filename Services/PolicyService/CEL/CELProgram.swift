/// A CEL expression parsed and compiled once, evaluated many times (`CELCompiler`). The
/// patterns of `matches` calls written as literals are compiled with it, once; a bad one makes the
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
        var compiler = CELCompiler()
        code = try compiler.compile(expression)
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
}
