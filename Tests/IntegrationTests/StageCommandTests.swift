import Foundation
import Testing

/// `postern stage …` and `postern auth` against the real postern-password.
@Suite struct StageCommandTests {
    private func postern(_ arguments: [String], socket: String, input: String? = nil) async throws -> ProgramRun {
        try await ProgramRun.run(
            DaemonProcess.binDirectory.appendingPathComponent("postern"), arguments + ["--password-socket", socket],
            input: input, timeout: .seconds(60))
    }

    @Test func aStageIsSetShownListedAndUsedToAuthenticate() async throws {
        try await withTemporaryDirectory { dir in
            let socket = "\(dir)/p.sock"
            try await withDaemons({ [try DaemonProcess(.password, socketPath: socket, logDirectory: dir)] }) { daemons in
                _ = try await daemons[0].waitUntilServing()
                let refused = try await postern(["stage", "set", "login", "--backends", "internal,internal"], socket: socket)
                #expect(refused.status == 1 && refused.errors.contains("backends names one backend twice"), "\(refused.errors)")
                let set = try await postern(["stage", "set", "login", "--failed-attempts-before-cancel", "2"], socket: socket)
                #expect(set.status == 0 && set.output.contains("2 before cancel"), "\(set.errors)")
                let replaced = try await postern(["stage", "set", "login", "--allow-show-password"], socket: socket)
                #expect(replaced.status == 0 && replaced.output.contains("show password:       allowed"), "\(replaced.errors)")
                let list = try await postern(["stage", "list"], socket: socket)
                #expect(list.output.contains("NAME   ATTEMPTS  BACKENDS\nlogin  5         internal\n1 stage"), "\(list.output)")

                #expect(try await postern(["user", "add", "alice"], socket: socket).status == 0)
                #expect(try await postern(["password", "set", "alice"], socket: socket, input: "s3cret pass\n").status == 0)
                let good = try await postern(["auth", "--stage", "login", "--user", "alice"], socket: socket, input: "s3cret pass\n")
                #expect(good.status == 0 && good.output.contains("authenticated alice"), "\(good.output)\(good.errors)")
                let bad = try await postern(
                    ["auth", "--stage", "login", "--user", "alice", "--flow-session", "f1"], socket: socket, input: "guess\n")
                #expect(bad.status == 2 && bad.output.contains("Invalid password (4 attempts left in flow session f1)"), "\(bad.output)")

                #expect(try await postern(["stage", "delete", "login", "--yes"], socket: socket).status == 0)
                let gone = try await postern(["stage", "show", "login"], socket: socket)
                #expect(gone.status == 1 && gone.errors.contains("NOT_FOUND"))
                #expect(!daemons[0].log.contains("s3cret"))
            }
        }
    }
}
