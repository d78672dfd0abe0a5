import Foundation
import PosternClient
import Testing

/// The real daemons' configuration: `--check-config`, refusing to start on a bad file, and
/// file and environment settings reaching the running server.
@Suite(.serialized) struct ConfigurationTests {
    /// Runs a daemon executable to completion, with none of the test's own
    /// `POSTERN_<NAME>_*` variables.
    private func runDaemon(
        _ identity: DaemonIdentity, _ arguments: [String], environment extra: [String: String] = [:]
    ) async throws -> ProgramRun {
        try await ProgramRun.run(
            DaemonProcess.binDirectory.appendingPathComponent(identity.executableName), arguments,
            environment: ProcessInfo.processInfo.environment
                .filter { !$0.key.hasPrefix(identity.environmentPrefix) }
                .merging(extra) { _, new in new })
    }

    private func write(_ text: String, to path: String) throws {
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    @Test func checkConfigAcceptsAGoodFileAndAnEnvironmentOverride() async throws {
        try await withTemporaryDirectory { dir in
            try write("socket = \(dir)/h.sock\nlimits.connections = 10\naccess.read.users = root\n", to: "\(dir)/good.conf")
            let result = try await runDaemon(
                .history, ["--check-config", "--config", "\(dir)/good.conf"],
                environment: ["POSTERN_HISTORY_SHUTDOWN_GRACE_PERIOD": "3s"])
            #expect(result.status == 0, "stderr: \(result.errors)")
            #expect(result.output.contains("postern-history: configuration is valid"))
            #expect(result.output.contains("POSTERN_HISTORY_SHUTDOWN_GRACE_PERIOD"))
            #expect(!FileManager.default.fileExists(atPath: "\(dir)/h.sock"), "--check-config must not listen")
        }
    }

    @Test func checkConfigListsEveryProblemOfABrokenFileAndEnvironment() async throws {
        try await withTemporaryDirectory { dir in
            try write("socket.mode = rw\nlimits.calls_per_connection = 100000\nacess.admin.users = root\n", to: "\(dir)/bad.conf")
            let result = try await runDaemon(
                .password, ["--check-config", "--config", "\(dir)/bad.conf"],
                environment: ["POSTERN_PASSWORD_DIAGNOSTICS": "yes"])
            #expect(result.status == 1)
            let lines = result.errors.split(separator: "\n").map(String.init)
            #expect(lines == [
                "postern-password: configuration is invalid: 4 configuration problems:",
                "  \(dir)/bad.conf:1: socket.mode: \"rw\" is not an octal file mode such as 0660",
                "  \(dir)/bad.conf:2: limits.calls_per_connection: 100000 is out of range; allowed 1…4096",
                "  \(dir)/bad.conf:3: unknown key \"acess.admin.users\"",
                "  environment POSTERN_PASSWORD_DIAGNOSTICS: diagnostics: \"yes\" is neither true nor false",
            ])
        }
    }

    /// A setting each key accepts on its own, but the daemon would refuse at start: the Argon2
    /// memory below 8 KiB per lane. --check-config must say so too, not "valid".
    @Test(arguments: [DaemonIdentity.password, .history])
    func checkConfigRunsEveryCheckStartupRuns(identity: DaemonIdentity) async throws {
        try await withTemporaryDirectory { dir in
            try write("hash.argon2.memory_kib = 8\nhash.argon2.parallelism = 2\n", to: "\(dir)/small.conf")
            let check = try await runDaemon(identity, ["--check-config", "--config", "\(dir)/small.conf"])
            #expect(check.status == 1, "stdout: \(check.output)")
            #expect(check.errors.contains("\(identity.executableName): configuration is invalid:"), "\(check.errors)")
            #expect(check.errors.contains("8 × "), "\(check.errors)")
            #expect(!check.output.contains("valid"))
            let start = try await runDaemon(identity, ["--config", "\(dir)/small.conf", "--socket", "\(dir)/d.sock"],
                                            environment: [identity.environmentPrefix + "STATE_DIRECTORY": "\(dir)/state"])
            #expect(start.status == 1)
            #expect(start.errors.contains("\(identity.executableName): cannot start:"), "\(start.errors)")
        }
    }

    @Test func aDaemonWithABadConfigurationDoesNotStartAndSaysWhy() async throws {
        try await withTemporaryDirectory { dir in
            try write("log.level = chatty\n", to: "\(dir)/bad.conf")
            let result = try await runDaemon(.policy, ["--config", "\(dir)/bad.conf", "--socket", "\(dir)/p.sock"])
            #expect(result.status == 1)
            #expect(result.errors.contains("postern-policy: cannot start: 1 configuration problem:"))
            #expect(result.errors.contains("log.level: \"chatty\" is not a log level"))
            #expect(!FileManager.default.fileExists(atPath: "\(dir)/p.sock"))
        }
    }

    @Test func fileAndEnvironmentSettingsReachTheRunningServer() async throws {
        try await withTemporaryDirectory { dir in
            try write("limits.call_duration = 300ms\nsocket.mode = 0666\n", to: "\(dir)/p.conf")
            try await withDaemons({
                [try DaemonProcess(
                    .policy, socketPath: "\(dir)/p.sock", arguments: ["--config", "\(dir)/p.conf"],
                    environment: ["POSTERN_POLICY_SOCKET_MODE": "0600", "POSTERN_POLICY_DIAGNOSTICS": "true"],
                    logDirectory: dir)]
            }) { daemons in
                _ = try await daemons[0].waitUntilServing()
                var status = stat()
                #expect(stat("\(dir)/p.sock", &status) == 0)
                #expect(status.st_mode & 0o777 == 0o600, "the environment beats the file")

                let client = try await RPCClient.connect(to: "\(dir)/p.sock")
                let quick = try await client.call(Postern.Diagnostics.V1.Diagnostics.sleep, Postern.Diagnostics.V1.SleepRequest(milliseconds: 10))
                #expect(quick.milliseconds == 10)
                let started = ContinuousClock.now
                let slow = await #expect(throws: RPCError.self) {
                    _ = try await client.call(Postern.Diagnostics.V1.Diagnostics.sleep, Postern.Diagnostics.V1.SleepRequest(milliseconds: 20_000))
                }
                #expect(slow?.code == .deadlineExceeded, "the file's 300ms call limit")
                #expect(ContinuousClock.now - started < .seconds(10))
                #expect(try await client.checkHealth().status == .serving)
                await client.close()
                #expect(await daemons[0].logEventuallyContains("diagnostics enabled"), "log:\n\(daemons[0].log)")
            }
        }
    }

    @Test func theThreadsKeySetsTheEventLoopCountAndTheDaemonStillStopsCleanly() async throws {
        try await withTemporaryDirectory { dir in
            try await withDaemons({
                [try DaemonProcess(
                    .history, socketPath: "\(dir)/h.sock", environment: ["POSTERN_HISTORY_THREADS": "3"],
                    logDirectory: dir)]
            }) { daemons in
                _ = try await daemons[0].waitUntilServing()
                // NIO names a group's threads NIO-ELT-<group>-#<n>; its shared group's NIO-SGLTN-….
                let tasks = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(daemons[0].pid)/task")
                let names = tasks.compactMap { try? String(contentsOfFile: "/proc/\(daemons[0].pid)/task/\($0)/comm", encoding: .utf8) }
                #expect(names.filter { $0.hasPrefix("NIO-ELT-") }.count == 3, "\(names)")
                #expect(names.filter { $0.hasPrefix("NIO-SGLTN-") }.isEmpty, "\(names)")
                let client = try await RPCClient.connect(to: "\(dir)/h.sock")
                #expect(try await client.checkHealth().status == .serving)
                await client.close()
                let status = await daemons[0].stop()
                #expect(status == 0, "\(daemons[0].log)")
            }
        }
    }

    @Test func accessRootDenyShutsRootOutOfAllButHealth() async throws {
        try await withTemporaryDirectory { dir in
            try write("access.root = deny\ndiagnostics = true\n", to: "\(dir)/h.conf")
            try await withDaemons({
                [try DaemonProcess(.history, socketPath: "\(dir)/h.sock", arguments: ["--config", "\(dir)/h.conf"], logDirectory: dir)]
            }) { daemons in
                _ = try await daemons[0].waitUntilServing()
                let client = try await RPCClient.connect(to: "\(dir)/h.sock")
                let denied = await #expect(throws: RPCError.self) {
                    _ = try await client.call(Postern.Diagnostics.V1.Diagnostics.sleep, Postern.Diagnostics.V1.SleepRequest(milliseconds: 1))
                }
                #expect(denied?.code == .permissionDenied)
                #expect(denied?.message.contains("read") == true)
                #expect(try await client.checkHealth().status == .serving)
                await client.close()
            }
        }
    }

    @Test func withoutTheDiagnosticsOptionThereIsNoSleepMethod() async throws {
        try await withTemporaryDirectory { dir in
            try await withDaemons({ [try DaemonProcess(.password, socketPath: "\(dir)/w.sock", logDirectory: dir)] }) { daemons in
                _ = try await daemons[0].waitUntilServing()
                let client = try await RPCClient.connect(to: "\(dir)/w.sock")
                let missing = await #expect(throws: RPCError.self) {
                    _ = try await client.call(Postern.Diagnostics.V1.Diagnostics.sleep, Postern.Diagnostics.V1.SleepRequest(milliseconds: 1))
                }
                #expect(missing?.code == .unimplemented)
                await client.close()
            }
        }
    }
}
