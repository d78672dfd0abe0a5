/// Where something is in a blueprint file: 1-based line and column (columns count Unicode
/// scalars, as libyaml does).
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }
}

/// One thing wrong with a blueprint, where it is.
public struct BlueprintProblem: Sendable, Hashable, CustomStringConvertible {
    public let location: SourceLocation
    public let message: String

    public init(_ location: SourceLocation, _ message: String) {
        self.location = location
        self.message = message
    }

    public var description: String { "\(location): \(message)" }
}

/// Every problem found in a set of blueprint files, in file and line order: a blueprint with
/// any problem changes nothing.
public struct BlueprintProblems: Error, Sendable, CustomStringConvertible {
    public let problems: [BlueprintProblem]

    public init(_ problems: [BlueprintProblem]) {
        self.problems = problems.sorted {
            ($0.location.file, $0.location.line, $0.location.column) < ($1.location.file, $1.location.line, $1.location.column)
        }
    }

    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
