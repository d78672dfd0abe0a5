import Foundation
import PosternClient
import Testing

/// `postern health` against the real daemons.
@Suite(.serialized) struct HealthCommandTests {
    /// Runs `postern ARGS…` and returns its exit status and standard output.
    private func postern(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        let run = try await ProgramRun.run(DaemonProcess.binDirectory.appendingPathComponent("postern"), arguments)
        return (run.status, run.output)
    }

    private func flags(_ dir: String) -> [String] {
        DaemonIdentity.allCases.flatMap { ["--\($0.rawValue)-socket", "\(dir)/\($0.rawValue).sock"] }
    }

    @Test func allServingExitsZeroWithOneLineEach() async throws {
        try await withTemporaryDirectory { dir in
            try await withDaemons({
                try DaemonIdentity.allCases.map {
                    try DaemonProcess($0, socketPath: "\(dir)/\($0.rawValue).sock", logDirectory: dir)
                }
            }) { daemons in
                for daemon in daemons { _ = try await daemon.waitUntilServing() }
                let result = try await postern(["health"] + flags(dir))
                #expect(result.status == 0, "output:\n\(result.output)")
                let lines = result.output.split(separator: "\n")
                #expect(lines.count == 3)
                for identity in DaemonIdentity.allCases {
                    #expect(lines.contains { $0.hasPrefix(identity.executableName) && $0.contains("SERVING") })
                }
            }
        }
    }

    @Test func oneDaemonDownExitsNonZeroAndNamesIt() async throws {
        try await withTemporaryDirectory { dir in
            try await withDaemons({
                try [DaemonIdentity.password, .policy].map {
                    try DaemonProcess($0, socketPath: "\(dir)/\($0.rawValue).sock", logDirectory: dir)
                }
            }) { daemons in
                for daemon in daemons { _ = try await daemon.waitUntilServing() }
                let result = try await postern(["health"] + flags(dir))
                #expect(result.status == 1, "output:\n\(result.output)")
                let historyLine = result.output.split(separator: "\n").first { $0.hasPrefix("postern-history") }
                #expect(historyLine?.contains("UNAVAILABLE") == true, "output:\n\(result.output)")
                #expect(historyLine?.contains("\(dir)/history.sock") == true)
            }
        }
    }

    @Test func aSocketLeadingToTheWrongDaemonIsReported() async throws {
        try await withTemporaryDirectory { dir in
            try await withDaemons({
                // The history daemon listens where postern expects the policy daemon.
                [
                    try DaemonProcess(.password, socketPath: "\(dir)/password.sock", logDirectory: dir),
                    try DaemonProcess(.history, socketPath: "\(dir)/history.sock", logDirectory: dir),
                    try DaemonProcess(.history, socketPath: "\(dir)/policy.sock", logDirectory: dir),
                ]
            }) { daemons in
                for daemon in daemons { _ = try await daemon.waitUntilServing() }
                let result = try await postern(["health"] + flags(dir))
                #expect(result.status == 1)
                #expect(result.output.contains("WRONG DAEMON"), "output:\n\(result.output)")
            }
        }
    }
}
