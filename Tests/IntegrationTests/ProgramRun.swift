import Foundation

/// A program run to completion: its exit status and what it wrote.
struct ProgramRun {
    let status: Int32
    let output: String
    let errors: String

    /// Runs `executable` and waits for it without blocking a thread: output goes to files,
    /// not pipes (a pipe's write end leaks into daemons other tests start at the same time,
    /// and reading it to EOF would then wait for them). Killed after `timeout`.
    static func run(
        _ executable: URL, _ arguments: [String], environment: [String: String]? = nil,
        input: String? = nil, timeout: Duration = .seconds(20)
    ) async throws -> ProgramRun {
        let base = NSTemporaryDirectory() + "postern-run-\(UUID().uuidString.prefix(8))"
        defer {
            try? FileManager.default.removeItem(atPath: base + ".out")
            try? FileManager.default.removeItem(atPath: base + ".err")
        }
        for suffix in [".out", ".err"] { _ = FileManager.default.createFile(atPath: base + suffix, contents: nil) }
        // Standard input from a file too: `input`, or nothing (EOF at once).
        _ = FileManager.default.createFile(atPath: base + ".in", contents: Data((input ?? "").utf8))
        defer { try? FileManager.default.removeItem(atPath: base + ".in") }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let environment { process.environment = environment }
        process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: base + ".in"))
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: base + ".out"))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: base + ".err"))
        let finished = AsyncStream<Void>.makeStream()
        process.terminationHandler = { _ in finished.continuation.finish() }
        try process.run()
        let watchdog = Task {
            try await Task.sleep(for: timeout)
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        for await _ in finished.stream {}
        watchdog.cancel()
        return ProgramRun(
            status: process.terminationStatus,
            output: (try? String(contentsOfFile: base + ".out", encoding: .utf8)) ?? "",
            errors: (try? String(contentsOfFile: base + ".err", encoding: .utf8)) ?? "")
    }
}
