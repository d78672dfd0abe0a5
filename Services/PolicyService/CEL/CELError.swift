/// An evaluation that failed: division by zero, a missing key, no function for these argument
/// types, the cost budget spent. Its message holds no value of the context.
public struct CELError: Error, Equatable, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }

    static func noOverload(_ function: String, _ arguments: [CELValue]) -> CELError {
        CELError("no matching overload for '\(function)' applied to (\(arguments.map(\.type.rawValue).joined(separator: ", ")))")
    }
}

/// What one evaluation may spend: steps (each expression evaluated, each element a
/// comprehension visits, each element or byte of a value built) — past it the evaluation
/// fails with an error.
public struct CELBudget: Sendable {
    public var steps: Int

    public init(steps: Int) { self.steps = steps }

    /// About a millisecond of work on one core.
    public static let standard = CELBudget(steps: 100_000)
}
