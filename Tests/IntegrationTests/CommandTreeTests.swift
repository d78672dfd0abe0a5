import Foundation
import Testing

/// Every `postern` subcommand's options are well formed: a debug build of swift-argument-parser
/// checks each command's arguments when it builds them (two options of one name, for example
/// `--timeout` for both the call's deadline and a binding's timeout, fail every run of that
/// command); a release build does not check, and quietly gives the name to one of them. So
/// every command's `--help` is run here, on the debug build the tests use.
@Suite struct CommandTreeTests {
    @Test func everySubcommandBuildsItsArguments() async throws {
        let postern = DaemonProcess.binDirectory.appendingPathComponent("postern")
        var pending: [[String]] = [[]]
        var seen = 0
        while let path = pending.popLast() {
            let run = try await ProgramRun.run(postern, path + ["--help"], timeout: .seconds(30))
            #expect(run.status == 0, "postern \(path.joined(separator: " ")) --help: \(run.errors)")
            #expect(!(run.output + run.errors).contains("Validation failed"), "postern \(path.joined(separator: " ")): \(run.output)\(run.errors)")
            seen += 1
            pending += Self.subcommands(run.output).map { path + [$0] }
        }
        #expect(seen > 40, "the whole tree was walked (\(seen) commands)")
    }

    /// The names listed under SUBCOMMANDS in a help text (`help` itself left out).
    static func subcommands(_ help: String) -> [String] {
        guard let section = help.range(of: "SUBCOMMANDS:") else { return [] }
        var names: [String] = []
        for line in help[section.upperBound...].split(separator: "\n", omittingEmptySubsequences: false).dropFirst() {
            guard line.hasPrefix("  ") else { break }
            let trimmed = line.drop { $0 == " " }
            guard line.count - trimmed.count == 2, let name = trimmed.split(separator: " ").first else { continue }
            if name != "help" { names.append(String(name)) }
        }
        return names
    }
}
