import Foundation
import Testing

/// `postern app-password …` and `postern service-account create` against the real postern-password.
@Suite struct AppPasswordCommandTests {
    private func postern(_ arguments: [String], socket: String, input: String? = nil) async throws -> ProgramRun {
        try await ProgramRun.run(
            DaemonProcess.binDirectory.appendingPathComponent("postern"), arguments + ["--password-socket", socket],
            input: input, timeout: .seconds(60))
    }

    /// The secret a command printed on its `secret: ` line.
    private func secret(_ run: ProgramRun) -> String {
        run.output.split(separator: "\n").first { $0.hasPrefix("secret: ") }.map { String($0.dropFirst(8)) } ?? ""
    }

    @Test func anAppPasswordIsCreatedListedViewedUsedAndRevoked() async throws {
        try await withTemporaryDirectory { dir in
            let socket = "\(dir)/p.sock"
            let key = Data((0..<32).map { UInt8($0) }).base64EncodedString()
            _ = FileManager.default.createFile(atPath: "\(dir)/key", contents: Data(key.utf8), attributes: [.posixPermissions: 0o600])
            let environment = ["POSTERN_PASSWORD_APP_PASSWORDS_KEY_FILE": "\(dir)/key"]
            try await withDaemons({
                [try DaemonProcess(.password, socketPath: socket, environment: environment, logDirectory: dir)]
            }) { daemons in
                _ = try await daemons[0].waitUntilServing()
                #expect(try await postern(["stage", "set", "programs", "--backends", "app_password"], socket: socket).status == 0)
                #expect(try await postern(["user", "add", "alice"], socket: socket).status == 0)

                let created = try await postern(
                    ["app-password", "create", "alice", "--description", "mail client", "--expires-in-days", "30"], socket: socket)
                let secret = secret(created)
                #expect(created.status == 0 && secret.hasPrefix("pstn_ap_") && secret.count == 51, "\(created.output)\(created.errors)")
                let id = String(created.output.prefix { $0 != " " })
                #expect(created.output.contains("description=\"mail client\""))

                let list = try await postern(["app-password", "list", "--user", "alice"], socket: socket)
                #expect(list.status == 0 && list.output.contains(id) && !list.output.contains(secret), "\(list.output)")
                let view = try await postern(["app-password", "view", id], socket: socket)
                #expect(view.status == 0 && self.secret(view) == secret)

                let good = try await postern(["auth", "--stage", "programs", "--user", "alice"], socket: socket, input: secret + "\n")
                #expect(good.status == 0 && good.output.contains("authenticated alice"), "\(good.output)\(good.errors)")
                let revoked = try await postern(["app-password", "revoke", id, "--yes"], socket: socket)
                #expect(revoked.status == 0 && revoked.output.contains("revoked=\(String(Calendar.current.component(.year, from: Date())))"))
                let after = try await postern(["auth", "--stage", "programs", "--user", "alice"], socket: socket, input: secret + "\n")
                #expect(after.status == 2 && after.output.contains("Invalid password"), "\(after.output)")

                let account = try await postern(["service-account", "create", "backup-bot", "--non-expiring"], socket: socket)
                #expect(account.status == 0 && account.output.contains("created service account backup-bot"), "\(account.errors)")
                #expect(account.output.contains("expires=never"))
                let bot = try await postern(
                    ["auth", "--stage", "programs", "--user", "backup-bot"], socket: socket, input: self.secret(account) + "\n")
                #expect(bot.status == 0, "\(bot.output)\(bot.errors)")
                #expect(!daemons[0].log.contains(secret) && !daemons[0].log.contains(self.secret(account)))
            }
        }
    }
}
