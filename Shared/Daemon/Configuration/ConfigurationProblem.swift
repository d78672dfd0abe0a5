/// One thing wrong with a daemon's configuration, and where it was found: `FILE:LINE`, an
/// environment variable, or a command-line option.
public struct ConfigurationProblem: Error, Equatable, Sendable, CustomStringConvertible {
    public let source: String
    public let message: String

    public init(source: String, message: String) {
        self.source = source
        self.message = message
    }

    public var description: String { "\(source): \(message)" }
}

/// Every problem found, so that an operator fixes them all in one pass.
public struct ConfigurationProblems: Error, Sendable {
    public let problems: [ConfigurationProblem]
}
