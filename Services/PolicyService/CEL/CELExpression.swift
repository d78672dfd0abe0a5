/// A parsed CEL expression. Macros are expanded at parse time into `.has` and
/// `.comprehension`, as the language definition describes them.
indirect enum CELExpression: Sendable {
    case literal(CELValue)
    /// A name; the evaluator resolves qualified names (`a.b.c`) from the select chain.
    case identifier(String)
    /// `operand.field`
    case select(CELExpression, field: String)
    /// `has(operand.field)`
    case has(CELExpression, field: String)
    /// `function(arguments)` or `target.function(arguments)`; operators are functions too
    /// (`_+_`, `_==_`, `_[_]`, `!_`, `-_`, `@in`).
    case call(function: String, target: CELExpression?, arguments: [CELExpression])
    case list([CELExpression])
    case map([(key: CELExpression, value: CELExpression)])
    case conditional(CELExpression, CELExpression, CELExpression)
    case and(CELExpression, CELExpression)
    case or(CELExpression, CELExpression)
    /// `all`, `exists`, `exists_one`, `map` (with its optional filter) and `filter` over a list
    /// or a map's keys.
    case comprehension(CELMacro, range: CELExpression, variable: String, predicate: CELExpression?, transform: CELExpression?)
}

enum CELMacro: Sendable {
    case all, exists, existsOne, map, filter
}
