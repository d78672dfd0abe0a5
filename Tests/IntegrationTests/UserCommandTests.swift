import Foundation
import PosternClient
import Testing

/// `postern user …` and `postern password …` against the real postern-password.
@Suite struct UserCommandTests {
    private func postern(_ arguments: [String], socket: String, input: String? = nil) async throws -> ProgramRun {
        try await ProgramRun.run(
            DaemonProcess.binDirectory.appendingPathComponent("postern"), arguments + ["--password-socket", socket],
            input: input, timeout: .seconds(60))
    }

    @Test func anAdminProvisionsAUserAndTheUserChangesTheirPassword() async throws {
        try await withTemporaryDirectory { dir in
            let socket = "\(dir)/p.sock"
            try await withDaemons({ [try DaemonProcess(.password, socketPath: socket, logDirectory: dir)] }) { daemons in
                _ = try await daemons[0].waitUntilServing()
                let added = try await postern(["user", "add", "alice", "--id", "idp-7", "--name", "Alice A.", "--attributes", #"{"team":"ops"}"#], socket: socket)
                #expect(added.status == 0, "\(added.errors)")
                #expect(added.output.contains("id:         idp-7"))
                #expect(added.output.contains("password:   none"))

                let set = try await postern(["password", "set", "alice"], socket: socket, input: "first secret\n")
                #expect(set.status == 0, "\(set.errors)")
                let shown = try await postern(["user", "show", "--id", "idp-7"], socket: socket)
                #expect(shown.output.contains("password:   set, changed"), "\(shown.output)")

                let wrong = try await postern(["password", "change", "alice"], socket: socket, input: "not it\nsecond secret\n")
                #expect(wrong.status == 1)
                #expect(wrong.errors.contains("UNAUTHENTICATED"), "\(wrong.errors)")
                let changed = try await postern(["password", "change", "alice"], socket: socket, input: "first secret\nsecond secret\n")
                #expect(changed.status == 0, "\(changed.errors)")
                let again = try await postern(["password", "change", "alice"], socket: socket, input: "second secret\nthird secret\n")
                #expect(again.status == 0, "the second secret is now the password: \(again.errors)")

                let missing = try await postern(["password", "set", "alice"], socket: socket, input: "")
                #expect(missing.status != 0, "no password on stdin is an error, not an empty password")

                let disabled = try await postern(["user", "disable", "alice"], socket: socket)
                #expect(disabled.status == 0 && disabled.output.contains("disabled alice (idp-7)"))
                let list = try await postern(["user", "list"], socket: socket)
                #expect(list.output.contains("alice     no      set"), "\(list.output)")
                #expect(list.output.contains("1 user"))
                let deleted = try await postern(["user", "delete", "alice", "--yes"], socket: socket)
                #expect(deleted.status == 0)
                let gone = try await postern(["user", "show", "alice"], socket: socket)
                #expect(gone.status == 1 && gone.errors.contains("NOT_FOUND"))
                #expect(!daemons[0].log.contains("secret"), "no password reaches the log")
            }
        }
    }

    @Test func importReadsJSONLinesAndShadowFilesAndRefusesABadBatchWhole() async throws {
        try await withTemporaryDirectory { dir in
            let socket = "\(dir)/p.sock"
            // mkpasswd, not Postern, made this hash.
            let made = try await ProgramRun.run(URL(fileURLWithPath: "/usr/bin/mkpasswd"), ["-m", "sha512crypt", "-s"], input: "shadow pw")
            let sha512 = made.output.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(sha512.hasPrefix("$6$"))
            try """
                root:\(sha512):19700:0:99999:7:::
                daemon:*:19700:0:99999:7:::
                locked:!$6$x$y:19700:0:99999:7:::
                """.write(toFile: "\(dir)/shadow", atomically: true, encoding: .utf8)
            try """
                # from authentik
                {"username": "bob", "id": "b1", "attributes": {"a": 1}, "password_hash": "", "inactive": true}
                {"username": "carol", "type": "service_account"}
                """.write(toFile: "\(dir)/users.jsonl", atomically: true, encoding: .utf8)
            try #"{"username": "dave", "password_hash": "md5$x$y"}"#.write(toFile: "\(dir)/bad.jsonl", atomically: true, encoding: .utf8)
            try await withDaemons({ [try DaemonProcess(.password, socketPath: socket, logDirectory: dir)] }) { daemons in
                _ = try await daemons[0].waitUntilServing()
                let shadow = try await postern(["user", "import", "--shadow", "\(dir)/shadow"], socket: socket)
                #expect(
                    shadow.status == 0 && shadow.output.contains("imported 1 user; skipped 1 locked (!), 1 without a password (*)\n"),
                    "\(shadow.output)\(shadow.errors)")
                let lines = try await postern(["user", "import", "\(dir)/users.jsonl"], socket: socket)
                #expect(lines.status == 0 && lines.output.contains("imported 2 users"), "\(lines.errors)")
                let bad = try await postern(["user", "import", "-"], socket: socket, input: try String(contentsOfFile: "\(dir)/bad.jsonl", encoding: .utf8))
                #expect(bad.status == 1 && bad.errors.contains("line 1 (dave): password_hash: unknown hash format"), "\(bad.errors)")
                // The shadow password works: change it with the old one.
                let change = try await postern(["password", "change", "root"], socket: socket, input: "shadow pw\nnew pw here\n")
                #expect(change.status == 0, "\(change.errors)")
                let client = try await RPCClient.connect(to: socket)
                #expect(try await client.user(username: "bob").attributesJSON == #"{"a":1}"#)
                #expect(try await client.user(username: "bob").isActive == false)
                #expect(try await client.user(username: "carol").type == .serviceAccount)
                #expect(try await client.allUsers().map(\.username) == ["bob", "carol", "root"])
                await client.close()
            }
        }
    }
}
