import ArgumentParser

#if canImport(Glibc)
import Glibc
#endif

/// Reads secrets from the terminal without echo, or, when standard input is not a terminal,
/// one per line from it — never from the command line, where other users' `ps` would see them.
struct SecretInput {
    private let interactive = isatty(0) == 1
    private var pending: [String]? = nil

    /// The next secret. On a terminal, `prompt` is shown and, with `confirm`, the secret asked
    /// twice; from a pipe, the next line (without its line ending).
    mutating func read(_ prompt: String, confirm: Bool = false) throws -> String {
        if !interactive {
            if pending == nil { pending = Self.lines() }
            guard var lines = pending, !lines.isEmpty else {
                throw ValidationError("expected one more line on standard input for: \(prompt)")
            }
            let line = lines.removeFirst()
            pending = lines
            return line
        }
        let first = try Self.readHidden(prompt + ": ")
        if confirm {
            guard try Self.readHidden("Again: ") == first else { throw ValidationError("the two entries differ") }
        }
        return first
    }

    private static func lines() -> [String] {
        var lines: [String] = []
        while let line = readLine(strippingNewline: true) {
            lines.append(line.hasSuffix("\r") ? String(line.dropLast()) : line)
        }
        return lines
    }

    private static func readHidden(_ prompt: String) throws -> String {
        printPrompt(prompt)
        var saved = termios()
        tcgetattr(0, &saved)
        var quiet = saved
        quiet.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(0, TCSAFLUSH, &quiet)
        defer {
            tcsetattr(0, TCSAFLUSH, &saved)
            printPrompt("\n")
        }
        guard let line = readLine(strippingNewline: true) else { throw ValidationError("no input") }
        return line
    }

    private static func printPrompt(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    }
}
