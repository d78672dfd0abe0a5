import Foundation
import PosternDaemon
import PosternProtocol
import PosternRPC
import PosternWire
import Testing

/// Reading a daemon's configuration from a real file and an environment.
@Suite struct DaemonConfigurationTests {
    private func withFile<R>(_ text: String, _ body: (String) throws -> R) throws -> R {
        let path = NSTemporaryDirectory() + "postern-config-\(UUID().uuidString).conf"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try body(path)
    }

    private func load(
        file: String?, environment: [String: String] = [:], socket: String? = nil
    ) throws(ConfigurationProblems) -> DaemonConfiguration<PasswordSettings> {
        try DaemonConfiguration<PasswordSettings>.load(configPath: file, socketPath: socket, environment: environment)
    }

    private func problems(file: String?, environment: [String: String] = [:]) -> [String] {
        do {
            _ = try load(file: file, environment: environment)
            return []
        } catch {
            return error.problems.map(\.description)
        }
    }

    @Test func everyKeyOfAGoodFileReachesTheServerConfiguration() throws {
        let text = """
            # a comment, then a blank line

            socket = /tmp/p.sock
            socket.mode = 0600
            socket.group = 0
            access.root = deny
            access.read.users = root, 4242
            access.verify.groups = 4243
            access.admin.users =
            limits.frame_bytes = 4096
            limits.connections = 7
            limits.calls_per_connection = 3
            limits.call_duration = 250ms
            shutdown.grace_period = 2m
            threads = 3
            state_directory = /srv/postern/state
            log.level = debug
            diagnostics = true
            """
        let loaded = try withFile(text) { try load(file: $0) }
        let server = loaded.settings.daemon.server
        #expect(server.socketPath == "/tmp/p.sock")
        #expect(server.socketMode == 0o600)
        #expect(server.socketGroup == 0)
        #expect(server.access.rootMayCallEverything == false)
        #expect(server.access.grants[.read]?.uids == [0, 4242])
        #expect(server.access.grants[.verify]?.gids == [4243])
        #expect(server.access.grants[.admin]?.uids == [])
        #expect(server.maximumFrameLength == 4096)
        #expect(server.maximumConnections == 7)
        #expect(server.maximumCallsInFlightPerConnection == 3)
        #expect(server.maximumCallDuration == .milliseconds(250))
        #expect(server.shutdownGracePeriod == .seconds(120))
        #expect(loaded.settings.daemon.eventLoopThreads == 3)
        #expect(loaded.settings.daemon.stateDirectory == "/srv/postern/state")
        #expect(loaded.settings.daemon.logLevel == .debug)
        #expect(loaded.settings.daemon.diagnostics)
    }

    @Test func everyProblemIsListedWithItsLine() throws {
        let text = """
            socket.mode = 0999
            no equals sign here
            access.read.users = no-such-user-here
            limits.call_duration = 5
            bogus = 1
            socket.mode = 0600
            limits.connections = 0
            threads = 0
            state_directory = var/lib/postern
            """
        let found = try withFile(text) { path in
            problems(file: path).map { $0.replacingOccurrences(of: path, with: "FILE") }
        }
        #expect(found == [
            "FILE:1: socket.mode: \"0999\" is not an octal file mode such as 0660",
            "FILE:2: expected `key = value`",
            "FILE:3: access.read.users: no user named \"no-such-user-here\"",
            "FILE:4: limits.call_duration: \"5\" is not a duration such as 250ms, 10s or 2m",
            "FILE:5: unknown key \"bogus\"",
            "FILE:6: socket.mode is already set on line 1",
            "FILE:7: limits.connections: 0 is out of range; allowed 1…65536",
            "FILE:8: threads: 0 is out of range; allowed 1…256",
            "FILE:9: state_directory: the state directory must be an absolute path",
        ])
    }

    @Test func theEnvironmentOverridesTheFileAndSocketFlagOverridesBoth() throws {
        let loaded = try withFile("socket = /tmp/file.sock\nsocket.mode = 0600\n") { path in
            try load(
                file: path,
                environment: [
                    "POSTERN_PASSWORD_SOCKET_MODE": "0640", "POSTERN_PASSWORD_SOCKET": "/tmp/env.sock",
                    "POSTERN_HISTORY_SOCKET_MODE": "0600",  // another daemon's: ignored
                ],
                socket: "/tmp/flag.sock")
        }
        #expect(loaded.settings.daemon.server.socketMode == 0o640)
        #expect(loaded.settings.daemon.server.socketPath == "/tmp/flag.sock")
        #expect(loaded.environmentOverrides == ["POSTERN_PASSWORD_SOCKET", "POSTERN_PASSWORD_SOCKET_MODE"])
    }

    @Test func theConfigVariableNamesTheFile() throws {
        let loaded = try withFile("limits.connections = 9\n") { path in
            try load(file: nil, environment: ["POSTERN_PASSWORD_CONFIG": path])
        }
        #expect(loaded.settings.daemon.server.maximumConnections == 9)
    }

    @Test func badEnvironmentVariablesAndAMissingFileAreProblems() {
        let found = problems(
            file: "/nonexistent/postern.conf",
            environment: ["POSTERN_PASSWORD_LIMITS_CONECTIONS": "5", "POSTERN_PASSWORD_LOG_LEVEL": "loud"])
        #expect(found.count == 3)
        #expect(found[0].hasPrefix("/nonexistent/postern.conf: cannot open"))
        #expect(found.contains("environment POSTERN_PASSWORD_LIMITS_CONECTIONS: not a configuration key (see docs/configuration.md)"))
        #expect(found.contains { $0.hasPrefix("environment POSTERN_PASSWORD_LOG_LEVEL: log.level: \"loud\" is not a log level") })
    }

    /// A key meant for another daemon is a problem, not silently ignored: a pepper given to
    /// postern-password, or postern-password's history socket given to postern-policy.
    @Test func keysOfAnotherDaemonAreProblems() throws {
        let found = try withFile("pepper_file = /etc/postern/history-pepper.key\nhash.threads = 2\n") { path in
            problems(file: path, environment: ["POSTERN_PASSWORD_HISTORY_PENDING_EXPIRY": "1h"])
        }
        #expect(found.count == 2, "\(found)")
        #expect(found.contains { $0.hasSuffix(":1: pepper_file is read by postern-history, not postern-password; remove it here") })
        #expect(found.contains(
            "environment POSTERN_PASSWORD_HISTORY_PENDING_EXPIRY: history.pending_expiry is read by postern-history, not postern-password; remove it here"))
        #expect(throws: ConfigurationProblems.self) {
            try DaemonConfiguration<PolicySettings>.load(
                configPath: nil, socketPath: nil, environment: ["POSTERN_POLICY_HASH_ARGON2_MEMORY_KIB": "8192"])
        }
        let history = try DaemonConfiguration<HistorySettings>.load(
            configPath: nil, socketPath: nil, environment: ["POSTERN_HISTORY_HASH_ARGON2_MEMORY_KIB": "8192"])
        #expect(history.settings.hashing.argon2MemoryKiB == 8192)
    }

    @Test func invalidUTF8AndOversizedFilesAreRefused() throws {
        let path = NSTemporaryDirectory() + "postern-config-\(UUID().uuidString).conf"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data([0x73, 0x6f, 0xff, 0x3d, 0x31]).write(to: URL(fileURLWithPath: path))
        #expect(problems(file: path) == ["\(path): not valid UTF-8"])
        try Data(repeating: 0x23, count: (1 << 20) + 1).write(to: URL(fileURLWithPath: path))
        #expect(problems(file: path).first?.contains("at most 1048576") == true)
    }

    @Test func noFileMeansTheDocumentedDefaults() throws {
        let settings = try load(file: nil).settings
        #expect(settings.daemon.server.socketPath == "/run/postern/password.sock")
        #expect(settings.daemon.server.socketMode == 0o660)
        #expect(settings.daemon.server.access == .rootOnly)
        #expect(settings.daemon.server.maximumCallDuration == .seconds(60))
        #expect(settings.daemon.server.shutdownGracePeriod == .seconds(10))
        #expect(settings.daemon.eventLoopThreads == nil)
        #expect(settings.daemon.stateDirectory == "/var/lib/postern/password")
        #expect(!settings.daemon.diagnostics)
    }

    @Test func everyKeyHasItsOwnEnvironmentVariable() {
        let names = ConfigurationKey.all.map { $0.environmentVariable(for: .policy) }
        #expect(Set(names).count == names.count)
        #expect(ConfigurationKey.named("socket")?.environmentVariable(for: .policy) == DaemonIdentity.policy.socketEnvironmentVariable)
    }

    @Test func docsConfigurationListsEveryKeyItsVariableAndDefault() throws {
        let docs = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/configuration.md")
        let text = try String(contentsOf: docs, encoding: .utf8)
        for key in ConfigurationKey.all {
            let row = "| `\(key.name)` | `\(key.environmentVariable(for: .password).replacingOccurrences(of: "POSTERN_PASSWORD_", with: "POSTERN_<NAME>_"))` | \(key.defaultValue) |"
            #expect(text.contains(row), "docs/configuration.md lacks the row starting \(row)")
        }
    }

    /// A key's documented default and its settings type's default are one value: setting each
    /// key to its documented default, through the file, changes nothing.
    @Test(arguments: DaemonIdentity.allCases)
    func everyDocumentedDefaultIsTheSettingsDefault(identity: DaemonIdentity) throws {
        let keys = ConfigurationKey.all.filter {
            $0.daemons.contains(identity) && !$0.defaultValue.contains("<") && !$0.defaultValue.hasPrefix("(")
        }
        #expect(keys.count >= 10)
        let text = keys.map { "\($0.name) = \($0.defaultValue)" }.joined(separator: "\n") + "\n"
        func described(_ settings: any ConfiguredSettings) -> String { String(reflecting: settings) }
        let (fromFile, defaults): (String, String) = try withFile(text) { path in
            switch identity {
            case .password:
                (described(try DaemonConfiguration<PasswordSettings>.load(configPath: path, socketPath: nil, environment: [:]).settings),
                 described(PasswordSettings()))
            case .history:
                (described(try DaemonConfiguration<HistorySettings>.load(configPath: path, socketPath: nil, environment: [:]).settings),
                 described(HistorySettings()))
            case .policy:
                (described(try DaemonConfiguration<PolicySettings>.load(configPath: path, socketPath: nil, environment: [:]).settings),
                 described(PolicySettings()))
            }
        }
        #expect(fromFile == defaults, "the file held \(text)")
    }
}
