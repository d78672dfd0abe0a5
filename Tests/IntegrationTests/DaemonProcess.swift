import Foundation
import PosternClient

/// A real daemon executable started by a test, on a socket path of the test's choosing.
/// `stop()` sends SIGTERM and reports the exit status; `kill()` is the last resort that every
/// test's cleanup runs, so no daemon outlives its test.
final class DaemonProcess: @unchecked Sendable {
    let identity: DaemonIdentity
    let socketPath: String
    let logPath: String
    private let process: SpawnedChild

    /// Where the built executables are: POSTERN_BIN_DIR, else this package's `.build/debug`.
    static var binDirectory: URL {
        if let dir = ProcessInfo.processInfo.environment["POSTERN_BIN_DIR"], !dir.isEmpty {
            return URL(fileURLWithPath: dir)
        }
        return URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/debug")
    }

    /// Starts `identity`'s executable. The socket path goes in by `--socket`, or by the
    /// daemon's environment variable when `viaEnvironment`. No `POSTERN_<NAME>_*` variable of
    /// the test's own environment reaches the daemon; `environment` adds variables. The state
    /// directory is `logDirectory/state-<name>` unless `environment` sets another. With a
    /// `launcher` (such as `systemd-socket-activate -l PATH`), the launcher runs and is given
    /// the daemon's path and `arguments`, and no `--socket`; it must exec the daemon.
    init(
        _ identity: DaemonIdentity, socketPath: String, viaEnvironment: Bool = false,
        arguments: [String] = [], environment extra: [String: String] = [:], launcher: [String] = [],
        logDirectory: String
    ) throws {
        self.identity = identity
        self.socketPath = socketPath
        // scripts/test collects every daemon's log in one place, to grep them all for the
        // test passwords at the end (Tests/Scripts/secrets-in-logs.sh).
        let logs = ProcessInfo.processInfo.environment["POSTERN_TEST_LOG_DIR"] ?? logDirectory
        self.logPath = "\(logs)/\(identity.executableName)-\(UUID().uuidString.prefix(8)).log"
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let daemonURL = Self.binDirectory.appendingPathComponent(identity.executableName)
        var executable = daemonURL.path
        var allArguments: [String]
        var environment = ProcessInfo.processInfo.environment
        environment = environment.filter { !$0.key.hasPrefix(identity.environmentPrefix) }
        // Each daemon keeps its state next to its log unless the test says otherwise.
        environment[identity.environmentPrefix + "STATE_DIRECTORY"] = "\(logDirectory)/state-\(identity.rawValue)"
        // postern-history does not start without a pepper: each gets one beside its state.
        if identity == .history {
            let pepper = "\(logDirectory)/history-pepper.key"
            if !FileManager.default.fileExists(atPath: pepper) {
                let bytes = (0..<32).map { _ in UInt8.random(in: 0...255) }
                _ = FileManager.default.createFile(
                    atPath: pepper, contents: Data((Data(bytes).base64EncodedString() + "\n").utf8),
                    attributes: [.posixPermissions: 0o600])
            }
            environment[identity.environmentPrefix + "PEPPER_FILE"] = pepper
        }
        environment.merge(extra) { _, new in new }
        if viaEnvironment {
            environment[identity.socketEnvironmentVariable] = socketPath
            allArguments = arguments
        } else {
            allArguments = ["--socket", socketPath] + arguments
        }
        if let program = launcher.first {
            executable = program
            // systemd-socket-activate gives the daemon only the variables named with -E.
            let passed = environment.filter { $0.key.hasPrefix(identity.environmentPrefix) }.sorted { $0.key < $1.key }
                .flatMap { ["-E", "\($0.key)=\($0.value)"] }
            let forwarded = URL(fileURLWithPath: program).lastPathComponent == "systemd-socket-activate" ? passed : []
            allArguments = launcher.dropFirst() + forwarded + [daemonURL.path] + arguments
        }
        process = try SpawnedChild(
            executable: executable, arguments: allArguments, environment: environment, logPath: logPath)
    }

    var pid: Int32 { process.pid }
    var isRunning: Bool { process.isRunning }
    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// Polls Health until the daemon answers SERVING; throws with the daemon's log if it
    /// exits or does not answer within `timeout`.
    func waitUntilServing(timeout: Duration = .seconds(20)) async throws -> Postern.Health.V1.HealthCheckResponse {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            guard process.isRunning else {
                throw DaemonFailure("\(identity.executableName) exited with \(process.terminationStatus ?? -1) before serving:\n\(log)")
            }
            if let client = try? await RPCClient.connect(to: socketPath) {
                defer { Task { await client.close() } }
                if let answer = try? await client.checkHealth(), answer.status == .serving { return answer }
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw DaemonFailure("\(identity.executableName) did not serve within \(timeout):\n\(log)")
    }

    /// Whether the log comes to contain `text` within `timeout`. A running daemon may answer
    /// a call before the line it logs at the same moment reaches the file, so a test that
    /// reads a live daemon's log waits for the line instead of reading once.
    func logEventuallyContains(_ text: String, timeout: Duration = .seconds(10)) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while !log.contains(text) {
            guard ContinuousClock.now < deadline else { return false }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return true
    }

    /// Waits for the process to exit on its own, up to `timeout`; its exit status, or nil.
    func waitForExit(timeout: Duration = .seconds(20)) async -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        return process.isRunning ? nil : process.terminationStatus
    }

    /// `signal` (SIGTERM unless told), then the exit status (nil if it did not exit within
    /// `timeout`).
    func stop(signal: Int32 = SIGTERM, timeout: Duration = .seconds(20)) async -> Int32? {
        process.signal(signal)
        return await waitForExit(timeout: timeout)
    }

    /// SIGKILL by PID if still running, and reap it.
    func kill() {
        guard process.isRunning else { return }
        process.signal(SIGKILL)
        var status: Int32 = 0
        _ = waitpid(pid, &status, 0)  // SIGKILL ends it at once; reaped so no zombie is left
    }
}

struct DaemonFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A fresh short temporary directory (socket paths must fit in 107 bytes); removed afterwards.
func withTemporaryDirectory<R>(_ body: (String) async throws -> R) async throws -> R {
    let path = "/tmp/postern-it-\(UUID().uuidString.prefix(8))"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try await body(path)
}

/// Starts daemons with `start`, runs `body`, and kills every one of them by PID afterwards,
/// whether `body` passed, failed or threw.
func withDaemons<R>(
    _ start: () throws -> [DaemonProcess], _ body: ([DaemonProcess]) async throws -> R
) async throws -> R {
    let daemons = try start()
    defer { daemons.forEach { $0.kill() } }
    return try await body(daemons)
}
