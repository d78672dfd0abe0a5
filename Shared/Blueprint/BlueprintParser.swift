import Foundation
import Yams

/// Reads blueprint files (docs/blueprints.md): YAML parsed with Yams, every value checked against
/// its model, `!Env` and `!File` resolved, `!KeyOf` checked (known, of the right model, no
/// cycle), entries put in dependency order. Every problem of a file is listed with its
/// FILE:LINE:COLUMN, not just the first — except YAML syntax errors, after which nothing of the
/// file can be read.
public struct BlueprintParser: Sendable {
    /// Where `!Env` looks.
    public var environment: [String: String]
    /// Whether `!Env` and `!File` are read; a daemon sent a document refuses them (the client
    /// that read the operator's files resolved them).
    public var resolvesExternalValues: Bool
    /// Largest file `!File` reads, and largest blueprint.
    public static let maximumFileBytes = 1 << 20

    public init(environment: [String: String] = ProcessInfo.processInfo.environment, resolvesExternalValues: Bool = true) {
        self.environment = environment
        self.resolvesExternalValues = resolvesExternalValues
    }

    /// The blueprint in the file at `path`.
    public func parse(contentsOf path: String) throws(BlueprintProblems) -> Blueprint {
        let text = try Self.read(path, what: "blueprint", at: SourceLocation(file: path, line: 1, column: 1))
        return try parse(text, file: path)
    }

    /// The blueprint `text`, named `file` in problems (and the directory `!File` paths are
    /// relative to).
    public func parse(_ text: String, file: String) throws(BlueprintProblems) -> Blueprint {
        var reader = EntryReader(file: file, environment: environment, resolvesExternalValues: resolvesExternalValues)
        let root: Node
        do {
            guard let composed = try Yams.compose(yaml: text) else {
                throw BlueprintProblems([BlueprintProblem(reader.start, "the file is empty; a blueprint has version, metadata and entries")])
            }
            root = composed
        } catch let problems as BlueprintProblems {
            throw problems
        } catch {
            throw BlueprintProblems([Self.syntaxProblem(error, file: file)])
        }
        let blueprint = reader.blueprint(root)
        guard reader.problems.isEmpty, let blueprint else { throw BlueprintProblems(reader.problems) }
        return blueprint
    }

    static func syntaxProblem(_ error: any Error, file: String) -> BlueprintProblem {
        guard let yaml = error as? YamlError else {
            return BlueprintProblem(SourceLocation(file: file, line: 1, column: 1), "not YAML: \(error)")
        }
        func at(_ mark: Mark) -> SourceLocation { SourceLocation(file: file, line: mark.line, column: mark.column) }
        switch yaml {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let prefix = context.map { "\($0.text) " } ?? ""
            return BlueprintProblem(at(mark), "YAML syntax: \(prefix)\(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return BlueprintProblem(at(context.mark), "a key is given twice: \(duplicates.joined(separator: ", "))")
        case .reader(let problem, _, _, _):
            return BlueprintProblem(SourceLocation(file: file, line: 1, column: 1), "not readable as UTF-8 YAML: \(problem)")
        default:
            return BlueprintProblem(SourceLocation(file: file, line: 1, column: 1), "YAML: \(yaml)")
        }
    }

    /// A file's text: at most `maximumFileBytes`, UTF-8, without NUL.
    static func read(_ path: String, what: String, at location: SourceLocation) throws(BlueprintProblems) -> String {
        func refuse(_ message: String) -> BlueprintProblems { BlueprintProblems([BlueprintProblem(location, message)]) }
        guard let handle = FileHandle(forReadingAtPath: path) else { throw refuse("cannot read the \(what) file \(path)") }
        defer { try? handle.close() }
        let data: Data
        do {
            data = try handle.read(upToCount: maximumFileBytes + 1) ?? Data()
        } catch {
            throw refuse("cannot read the \(what) file \(path): \(error.localizedDescription)")
        }
        guard data.count <= maximumFileBytes else { throw refuse("the \(what) file \(path) is larger than \(maximumFileBytes) bytes") }
        guard let text = String(validating: data, as: UTF8.self) else { throw refuse("the \(what) file \(path) is not UTF-8 text") }
        guard !text.utf8.contains(0) else { throw refuse("the \(what) file \(path) holds a NUL byte") }
        return text
    }
}
