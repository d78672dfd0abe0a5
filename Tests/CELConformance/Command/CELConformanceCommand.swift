import ArgumentParser
import CELConformance
import Foundation

/// `scripts/cel-conformance DIR`: runs CEL conformance data in the JSON form of
/// ../shared/cel-conformance against Postern's CEL; one line per file, then the totals.
@main
struct CELConformanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "postern-cel-conformance",
        abstract: "Run CEL conformance data (JSON, one file per cel-spec test file) against Postern's CEL.")

    @Argument(help: "A directory of *.json conformance files.") var directory: String?
    @Flag(help: "Also list every failing test.") var verbose = false
    @Flag(help: "Instead, evaluate JSON lines from standard input ({\"expr\", \"bindings\"}) and answer one JSON line each.")
    var eval = false

    func validate() throws {
        guard eval == (directory == nil) else { throw ValidationError("Give a directory, or --eval without one.") }
    }

    func run() throws {
        if eval {
            while let line = readLine() {
                // Written at once, line by line, so a caller can read each answer as it comes.
                FileHandle.standardOutput.write(Data((CELConformance.evaluateLine(line) + "\n").utf8))
            }
            return
        }
        guard let directory else { return }
        let results = try CELConformance.run(directory: directory)
        var passed = 0
        var failed = 0
        for result in results {
            print("\(result.file) \(result.passed)/\(result.total)")
            if verbose {
                for failure in result.failures {
                    print("  \(failure.section)/\(failure.test): \(failure.expression)\n    \(failure.problem)")
                }
            }
            passed += result.passed
            failed += result.failures.count
        }
        print("\(passed) passed, \(failed) failed")
    }
}
