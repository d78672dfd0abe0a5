/// The variables an expression is evaluated with, prepared once and reused by every program
/// evaluated against them (a policy request's context serves all its expression policies).
public struct CELVariables: Sendable {
    public let values: [String: CELValue]
    /// Whether some name has a dot (`a.b`): only then are selections tried as qualified names.
    let dotted: Bool

    public init(_ values: [String: CELValue]) {
        self.values = values
        dotted = values.keys.contains { $0.utf8.contains(0x2E) }
    }
}

/// One evaluation's state: the budget left, the comprehension variables by depth, and the
/// variables the program names, each looked up once.
struct CELFrame {
    var remaining: Int
    /// Comprehension variables: slot n is the variable of the comprehension n levels deep.
    var locals: [CELValue]
    /// The value of each free name of the program (`CELCompiled.names`), nil when unbound.
    let bound: [CELValue?]
    let variables: CELVariables

    mutating func charge(_ steps: Int) throws(CELError) {
        remaining -= steps
        if remaining < 0 { throw CELError.budgetSpent }
    }

    var spent: Bool { remaining < 0 }

    /// A free name: a variable, else a type's name (`int`, `list`), else an error.
    func resolve(slot: Int, name: String) throws(CELError) -> CELValue {
        if let value = bound[slot] { return value }
        if let type = CELType(rawValue: name) { return .type(type) }
        throw CELError("undeclared reference to '\(name)'")
    }

    /// For variables with dotted names: the longest prefix of `path` that names a variable
    /// (`a.b.c`, then `a.b`, then `a`), its value and the fields left to select.
    func resolveQualified(_ path: [String]) -> (CELValue, ArraySlice<String>)? {
        for length in stride(from: path.count, through: 1, by: -1) {
            if let value = variables.values[path[0..<length].joined(separator: ".")] { return (value, path.dropFirst(length)) }
        }
        return nil
    }
}

extension CELError {
    static let budgetSpent = CELError("the expression's cost budget is spent")
}
