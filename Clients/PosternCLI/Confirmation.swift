import ArgumentParser

#if canImport(Glibc)
import Glibc
#endif

/// `--yes` for commands that destroy something: on a terminal the command asks first; anywhere
/// else (a script, a pipe) it needs `--yes`, so that nothing is lost to a mistyped line.
struct Confirmation: ParsableArguments {
    @Flag(name: [.customShort("y"), .long], help: "Do it without asking (needed when standard input is not a terminal).")
    var yes = false

    /// Returns when `action` ("delete user alice (u1)") may go ahead; otherwise says why and
    /// exits 1 (declined) or 64 (no terminal to ask on and no --yes).
    func confirm(_ action: String) throws {
        if yes { return }
        guard isatty(0) == 1 else {
            printError("postern: refusing to \(action) without confirmation: add --yes")
            throw ExitCode(ExitStatus.usage)
        }
        let prompt = Array("\(action.prefix(1).uppercased() + action.dropFirst())? [y/N] ".utf8)
        _ = prompt.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
        let answer = readLine(strippingNewline: true)?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        guard answer == "y" || answer == "yes" else {
            printError("postern: not confirmed; nothing changed")
            throw ExitCode(ExitStatus.failed)
        }
    }
}
