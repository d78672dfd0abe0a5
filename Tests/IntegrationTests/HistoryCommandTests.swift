import Foundation
import Testing

/// `postern history …` against the real postern-history, with the real postern-password
/// recording the passwords it sets there.
@Suite struct HistoryCommandTests {
    private func postern(_ arguments: [String], _ dir: String, input: String? = nil) async throws -> ProgramRun {
        try await ProgramRun.run(
            DaemonProcess.binDirectory.appendingPathComponent("postern"), arguments,
            environment: ProcessInfo.processInfo.environment.merging(
                ["POSTERN_PASSWORD_SOCKET": "\(dir)/p.sock", "POSTERN_HISTORY_SOCKET": "\(dir)/h.sock"]) { $1 },
            input: input, timeout: .seconds(60))
    }

    @Test func anOperatorSizesChecksCountsAndForgetsHistory() async throws {
        try await withTemporaryDirectory { dir in
            try await withDaemons({
                [
                    try DaemonProcess(.history, socketPath: "\(dir)/h.sock", logDirectory: dir),
                    try DaemonProcess(
                        .password, socketPath: "\(dir)/p.sock",
                        environment: ["POSTERN_PASSWORD_HISTORY_SOCKET": "\(dir)/h.sock"], logDirectory: dir),
                ]
            }) { daemons in
                for daemon in daemons { _ = try await daemon.waitUntilServing() }
                let off = try await postern(["history", "retention"], dir)
                #expect(off.status == 0 && off.output.contains("retention 0: history is off"), "\(off.output)\(off.errors)")
                let set = try await postern(["history", "retention", "3"], dir)
                #expect(set.status == 0 && set.output.contains("retention 3 (was 0)"), "\(set.output)\(set.errors)")

                #expect(try await postern(["user", "add", "alice"], dir).status == 0)
                for password in ["History-cli one", "History-cli two"] {
                    let result = try await postern(["password", "set", "alice"], dir, input: password + "\n")
                    #expect(result.status == 0, "\(result.output)\(result.errors)")
                }

                let reused = try await postern(["history", "check", "alice"], dir, input: "History-cli one\n")
                #expect(reused.status == 2 && reused.output.contains("reused: the password is among alice's last 3 (2 compared)"),
                        "\(reused.output)\(reused.errors)")
                let newest = try await postern(["history", "check", "alice", "--count", "1"], dir, input: "History-cli one\n")
                #expect(newest.status == 0 && newest.output.contains("not reused"), "\(newest.output)\(newest.errors)")
                let fresh = try await postern(["history", "check", "alice"], dir, input: "History-cli fresh\n")
                #expect(fresh.status == 0 && fresh.output.contains("not reused"))
                let unknown = try await postern(["history", "check", "bob"], dir, input: "History-cli one\n")
                #expect(unknown.status == 1 && unknown.errors.contains("NOT_FOUND"), "\(unknown.errors)")

                let stats = try await postern(["history", "stats"], dir)
                #expect(stats.status == 0, "\(stats.errors)")
                for line in ["retention: 3", "users: 1", "entries: 2", "pending: 0", "argon2id$m=19456,t=2,p=1: 2"] {
                    #expect(stats.output.contains(line), "\(line) in \(stats.output)")
                }

                let forget = try await postern(["history", "forget", "alice", "--yes"], dir)
                #expect(forget.status == 0 && forget.output.contains("forgot alice: 2 entries removed"), "\(forget.output)")
                let after = try await postern(["history", "check", "alice"], dir, input: "History-cli two\n")
                #expect(after.status == 0 && after.output.contains("(0 compared)"), "\(after.output)")

                let purge = try await postern(["history", "retention", "0", "--yes"], dir)
                #expect(purge.status == 0 && purge.output.contains("retention 0 (was 3)"))
                let noCount = try await postern(["history", "check", "alice"], dir, input: "History-cli two\n")
                #expect(noCount.status == 1 && noCount.errors.contains("history is off"), "\(noCount.errors)")
                for daemon in daemons { #expect(!daemon.log.contains("History-cli")) }
            }
        }
    }
}
