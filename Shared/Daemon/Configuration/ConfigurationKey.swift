import PosternProtocol
import PosternRPC
import PosternWire
import PosternHashing

/// One configuration key: its name in the file, its default as documented, what it means, and
/// how its text changes the settings. Every key can also come from the environment.
public struct ConfigurationKey: Sendable {
    public let name: String
    public let defaultValue: String
    public let meaning: String
    /// The daemons that read it; the others refuse it, so a key meant for one daemon is not
    /// silently ignored by another.
    public var daemons: Set<DaemonIdentity> = Set(DaemonIdentity.allCases)
    /// Changes the settings being read; they are of the type of a daemon in `daemons`.
    let apply: @Sendable (String, inout any ConfiguredSettings) throws(ConfigurationValue.Invalid) -> Void

    /// The environment variable that overrides this key for `daemon`: `socket.mode` of
    /// postern-password is `POSTERN_PASSWORD_SOCKET_MODE`.
    public func environmentVariable(for daemon: DaemonIdentity) -> String {
        daemon.environmentPrefix + name.uppercased().map { $0 == "." ? "_" : String($0) }.joined()
    }
}

extension ConfigurationKey {
    /// Every key a daemon reads, in the order `docs/configuration.md` lists them.
    public static let all: [ConfigurationKey] = socketKeys + accessKeys + limitKeys + hashKeys + otherKeys

    public static func named(_ name: String) -> ConfigurationKey? {
        all.first { $0.name == name }
    }

    private static let socketKeys: [ConfigurationKey] = [
        ConfigurationKey(
            name: "socket", defaultValue: "/run/postern/<name>.sock",
            meaning: "The Unix socket to listen on (ignored when systemd passes a socket). `--socket` overrides it."
        ) { text, settings throws(ConfigurationValue.Invalid) in
            guard !text.isEmpty else { throw .init("the socket path is empty") }
            let limit = RPCServerConfiguration.maximumSocketPathLength
            guard text.utf8.count <= limit else {
                throw .init("the socket path is \(text.utf8.count) bytes; a Unix socket path holds at most \(limit)")
            }
            settings.daemon.server.socketPath = text
        },
        ConfigurationKey(
            name: "socket.mode", defaultValue: "0660",
            meaning: "The socket file's permission bits, in octal."
        ) { text, settings throws(ConfigurationValue.Invalid) in
            settings.daemon.server.socketMode = try ConfigurationValue.fileMode(text)
        },
        ConfigurationKey(
            name: "socket.group", defaultValue: "(the daemon's own group)",
            meaning: "The socket file's group: a name or a number."
        ) { text, settings throws(ConfigurationValue.Invalid) in
            settings.daemon.server.socketGroup = try ConfigurationValue.group(text)
        },
    ]

    private static let accessKeys: [ConfigurationKey] =
        [
            ConfigurationKey(
                name: "access.root", defaultValue: "allow",
                meaning: "`allow`: root (uid 0) may call every method. `deny`: root needs a grant like anyone else."
            ) { text, settings throws(ConfigurationValue.Invalid) in
                settings.daemon.server.access.rootMayCallEverything = try ConfigurationValue.allowOrDeny(text)
            }
        ]
        + [Postern.V1.Access.read, .verify, .admin, .peer].flatMap { methodClass in
            [
                ConfigurationKey(
                    name: "access.\(methodClass.name).users", defaultValue: "(none)",
                    meaning: "Users (names or uids, comma-separated) who may call `\(methodClass.name)` methods."
                ) { text, settings throws(ConfigurationValue.Invalid) in
                    settings.daemon.server.access.grants[methodClass, default: .init()].uids = try ConfigurationValue.users(text)
                },
                ConfigurationKey(
                    name: "access.\(methodClass.name).groups", defaultValue: "(none)",
                    meaning: "Groups (names or gids, comma-separated) whose members by primary group may call `\(methodClass.name)` methods."
                ) { text, settings throws(ConfigurationValue.Invalid) in
                    settings.daemon.server.access.grants[methodClass, default: .init()].gids = try ConfigurationValue.groups(text)
                },
            ]
        }

    private static let limitKeys: [ConfigurationKey] = [
        ConfigurationKey(
            name: "limits.frame_bytes", defaultValue: "1048576",
            meaning: "The largest frame body accepted or sent (1024…67108864)."
        ) { text, settings throws(ConfigurationValue.Invalid) in
            settings.daemon.server.maximumFrameLength = try ConfigurationValue.integer(text, in: 1024...(64 << 20))
        },
        ConfigurationKey(
            name: "limits.connections", defaultValue: "1024",
            meaning: "Open connections at once (1…65536); past it a new connection is answered RESOURCE_EXHAUSTED."
        ) { text, settings throws(ConfigurationValue.Invalid) in
            settings.daemon.server.maximumConnections = try ConfigurationValue.integer(text, in: 1...65536)
        },
        ConfigurationKey(
            name: "limits.connections_per_user", defaultValue: "256",
            meaning: "Open connections of one uid, root excepted (1…65536); past it RESOURCE_EXHAUSTED."
        ) { text, settings throws(ConfigurationValue.Invalid) in
            settings.daemon.server.maximumConnectionsPerUser = try ConfigurationValue.integer(text, in: 1...65536)
        },
        ConfigurationKey(
            name: "limits.ungranted_connections", defaultValue: "16",
            meaning: "Open connections, all together, of callers granted nothing beyond Health (0…65536); past it RESOURCE_EXHAUSTED."
        ) { text, settings throws(ConfigurationValue.Invalid) in
            settings.daemon.server.maximumUngrantedConnections = try ConfigurationValue.integer(text, in: 0...65536)
        },
        ConfigurationKey(
            name: "limits.reserved_connections", defaultValue: "auto",
            meaning: "Of limits.connections, how many only callers granted verify or peer, and root, may take (0…65535), or auto: one sixteenth."
        ) { text, settings throws(ConfigurationValue.Invalid) in
            settings.daemon.server.reservedConnections = text == "auto" ? nil : try ConfigurationValue.integer(text, in: 0...65535)
        },
        ConfigurationKey(
            name: "limits.buffered_bytes", defaultValue: "67108864",
            meaning: "Bytes of partly received frames held across all connections (65536…4294967296); past it the connection is closed."
        ) { text, settings throws(ConfigurationValue.Invalid) in
            settings.daemon.server.maximumBufferedBytes = try ConfigurationValue.integer(text, in: 65536...(1 << 32))
        },
        ConfigurationKey(
            name: "limits.idle_timeout", defaultValue: "300s",
            meaning: "A connection with no call in flight that sends nothing this long is closed (0s = never, else 1s…24h)."
        ) { text, settings throws(ConfigurationValue.Invalid) in
            let value = try ConfigurationValue.duration(text, in: .zero...(.seconds(86400)))
            guard value == .zero || value >= .seconds(1) else { throw .init("an idle timeout is 0s (never) or at least 1s") }
            settings.daemon.server.idleTimeout = value
        },
        ConfigurationKey(
            name: "limits.frame_timeout", defaultValue: "10s",
            meaning: "How long a frame may take to arrive whole once its first bytes are in (100ms…10m)."
        ) { text, settings throws(ConfigurationValue.Invalid) in
            settings.daemon.server.frameTimeout = try ConfigurationValue.duration(text, in: .milliseconds(100)...(.seconds(600)))
        },
        ConfigurationKey(
            name: "limits.calls_per_connection", defaultValue: "128",
            meaning: "Calls awaiting their answer on one connection (1…4096); past it RESOURCE_EXHAUSTED."
        ) { text, settings throws(ConfigurationValue.Invalid) in
            settings.daemon.server.maximumCallsInFlightPerConnection = try ConfigurationValue.integer(text, in: 1...4096)
        },
        ConfigurationKey(
            name: "limits.call_duration", defaultValue: "60s",
            meaning: "The longest any call may run, whatever its client asks (1ms…1h); past it DEADLINE_EXCEEDED."
        ) { text, settings throws(ConfigurationValue.Invalid) in
            settings.daemon.server.maximumCallDuration = try ConfigurationValue.duration(text, in: .milliseconds(1)...(.seconds(3600)))
        },
    ]

    private static let hashKeys: [ConfigurationKey] = [
        ConfigurationKey(
            name: "hash.algorithm", defaultValue: "argon2id",
            meaning: "New password hashes: argon2id, or pbkdf2_sha256 where a FIPS-approved KDF is required.",
            daemons: [.password]
        ) { text, settings throws(ConfigurationValue.Invalid) in
            guard ["argon2id", "pbkdf2_sha256"].contains(text) else {
                throw .init("\"\(text)\" is neither argon2id nor pbkdf2_sha256")
            }
            let value = text
            try own(&settings, as: (any HashingConfigured).self) { $0.hashing.algorithm = value }
        },
        ConfigurationKey(
            name: "hash.argon2.memory_kib", defaultValue: "19456",
            meaning: "Argon2id memory in KiB (8…1048576).",
            daemons: [.password, .history]
        ) { text, settings throws(ConfigurationValue.Invalid) in
            let value = try ConfigurationValue.integer(text, in: 8...(1 << 20))
            try own(&settings, as: (any HashingConfigured).self) { $0.hashing.argon2MemoryKiB = value }
        },
        ConfigurationKey(
            name: "hash.argon2.iterations", defaultValue: "2",
            meaning: "Argon2id passes (1…64).",
            daemons: [.password, .history]
        ) { text, settings throws(ConfigurationValue.Invalid) in
            let value = try ConfigurationValue.integer(text, in: 1...64)
            try own(&settings, as: (any HashingConfigured).self) { $0.hashing.argon2Iterations = value }
        },
        ConfigurationKey(
            name: "hash.argon2.parallelism", defaultValue: "1",
            meaning: "Argon2id lanes (1…64); memory must be at least 8 KiB per lane.",
            daemons: [.password, .history]
        ) { text, settings throws(ConfigurationValue.Invalid) in
            let value = try ConfigurationValue.integer(text, in: 1...64)
            try own(&settings, as: (any HashingConfigured).self) { $0.hashing.argon2Parallelism = value }
        },
        ConfigurationKey(
            name: "hash.pbkdf2.iterations", defaultValue: "1000000",
            meaning: "PBKDF2-SHA256 iterations when hash.algorithm is pbkdf2_sha256 (1000…10000000).",
            daemons: [.password]
        ) { text, settings throws(ConfigurationValue.Invalid) in
            let value = try ConfigurationValue.integer(text, in: 1000...10_000_000)
            try own(&settings, as: (any HashingConfigured).self) { $0.hashing.pbkdf2Iterations = value }
        },
        ConfigurationKey(
            name: "hash.threads", defaultValue: "auto",
            meaning: "Threads that hash passwords (1…256), or auto: one per CPU.",
            daemons: [.password, .history]
        ) { text, settings throws(ConfigurationValue.Invalid) in
            let value = text == "auto" ? nil : try ConfigurationValue.integer(text, in: 1...256)
            try own(&settings, as: (any HashingConfigured).self) { $0.hashing.threads = value }
        },
        ConfigurationKey(
            name: "hash.queue", defaultValue: "64",
            meaning: "Hashes that may wait for a busy thread (0…100000; 0: none wait); past it RESOURCE_EXHAUSTED at once.",
            daemons: [.password, .history]
        ) { text, settings throws(ConfigurationValue.Invalid) in
            let value = try ConfigurationValue.integer(text, in: 0...100_000)
            try own(&settings, as: (any HashingConfigured).self) { $0.hashing.queueLimit = value }
        },
    ]

    private static let otherKeys: [ConfigurationKey] = [
        ConfigurationKey(
            name: "app_passwords.key_file", defaultValue: "auto",
            meaning: "The app-password key (base64 of 32 bytes, an absolute path), or auto: "
                + "$CREDENTIALS_DIRECTORY/app-password.key under systemd, else /etc/postern/app-password.key.",
            daemons: [.password]
        ) { text, settings throws(ConfigurationValue.Invalid) in
            guard text == "auto" || text.hasPrefix("/") else { throw .init("give an absolute path, or auto") }
            let value = text == "auto" ? nil : text
            try own(&settings, as: PasswordSettings.self) { $0.appPasswordKeyFile = value }
        },
        ConfigurationKey(
            name: "pepper_file", defaultValue: "auto",
            meaning: "postern-history's pepper (base64 of 32 bytes, an absolute path), or auto: "
                + "$CREDENTIALS_DIRECTORY/history-pepper.key under systemd, else /etc/postern/history-pepper.key.",
            daemons: [.history]
        ) { text, settings throws(ConfigurationValue.Invalid) in
            guard text == "auto" || text.hasPrefix("/") else { throw .init("give an absolute path, or auto") }
            let value = text == "auto" ? nil : text
            try own(&settings, as: HistorySettings.self) { $0.pepperFile = value }
        },
        ConfigurationKey(
            name: "pepper.retired_files", defaultValue: "(none)",
            meaning: "postern-history: retired peppers (absolute paths, comma-separated) whose entries are still checked; "
                + "new entries use pepper_file.",
            daemons: [.history]
        ) { text, settings throws(ConfigurationValue.Invalid) in
            let paths = text.split(separator: ",").map { String($0.trimmingSpaces) }.filter { !$0.isEmpty }
            guard paths.allSatisfy({ $0.hasPrefix("/") }) else { throw .init("give absolute paths, separated by commas") }
            let value = paths
            try own(&settings, as: HistorySettings.self) { $0.retiredPepperFiles = value }
        },
        ConfigurationKey(
            name: "history.socket", defaultValue: "off",
            meaning: "postern-password: postern-history's socket (an absolute path); every password set is recorded "
                + "there, and fails UNAVAILABLE when it cannot be. postern-policy: where its password uniqueness "
                + "policies check, and whose retention it keeps. off: no history.",
            daemons: [.password, .policy]
        ) { text, settings throws(ConfigurationValue.Invalid) in
            guard text == "off" || text.hasPrefix("/") else { throw .init("give an absolute path, or off") }
            guard text.utf8.count <= 107 else { throw .init("a Unix socket path is at most 107 bytes") }
            let value = text == "off" ? nil : text
            try ownEither(&settings, password: { $0.historySocket = value }, policy: { $0.historySocket = value })
        },
        ConfigurationKey(
            name: "history.timeout", defaultValue: "10s",
            meaning: "postern-password, postern-policy: how long one call to postern-history may take (100ms…5m).",
            daemons: [.password, .policy]
        ) { text, settings throws(ConfigurationValue.Invalid) in
            let value = try ConfigurationValue.duration(text, in: .milliseconds(100)...(.seconds(300)))
            try ownEither(&settings, password: { $0.historyTimeout = value }, policy: { $0.historyTimeout = value })
        },
        ConfigurationKey(
            name: "history.retry_interval", defaultValue: "30s",
            meaning: "postern-password: how often a password set whose history record is not yet confirmed is retried. "
                + "postern-policy: how often postern-history's retention is set again (after a failure, and to undo a "
                + "change made by hand). 100ms…1h.",
            daemons: [.password, .policy]
        ) { text, settings throws(ConfigurationValue.Invalid) in
            let value = try ConfigurationValue.duration(text, in: .milliseconds(100)...(.seconds(3600)))
            try ownEither(&settings, password: { $0.historyRetryInterval = value }, policy: { $0.historyRetryInterval = value })
        },
        ConfigurationKey(
            name: "blueprints.directory", defaultValue: "/etc/postern/blueprints",
            meaning: "postern-password, postern-policy: the blueprints applied at start, each daemon its own models "
                + "(an absolute path; a missing directory applies nothing). off: none.",
            daemons: [.password, .policy]
        ) { text, settings throws(ConfigurationValue.Invalid) in
            guard text == "off" || text.hasPrefix("/") else { throw .init("give an absolute path, or off") }
            let value = text == "off" ? nil : text
            try ownEither(&settings, password: { $0.blueprintsDirectory = value }, policy: { $0.blueprintsDirectory = value })
        },
        ConfigurationKey(
            name: "password.socket", defaultValue: "off",
            meaning: "postern-policy: postern-password's socket (an absolute path), where password_expiry policies read "
                + "when a password changed and mark one to change. off: no password_expiry policies.",
            daemons: [.policy]
        ) { text, settings throws(ConfigurationValue.Invalid) in
            guard text == "off" || text.hasPrefix("/") else { throw .init("give an absolute path, or off") }
            guard text.utf8.count <= 107 else { throw .init("a Unix socket path is at most 107 bytes") }
            let value = text == "off" ? nil : text
            try own(&settings, as: PolicySettings.self) { $0.passwordSocket = value }
        },
        ConfigurationKey(
            name: "password.timeout", defaultValue: "10s",
            meaning: "postern-policy: how long one call to postern-password may take (100ms…5m).",
            daemons: [.policy]
        ) { text, settings throws(ConfigurationValue.Invalid) in
            let value = try ConfigurationValue.duration(text, in: .milliseconds(100)...(.seconds(300)))
            try own(&settings, as: PolicySettings.self) { $0.passwordTimeout = value }
        },
        ConfigurationKey(
            name: "history.pending_expiry", defaultValue: "24h",
            meaning: "postern-history: how long an entry recorded as pending waits for its Confirm before it is dropped (1s…30d).",
            daemons: [.history]
        ) { text, settings throws(ConfigurationValue.Invalid) in
            let value = try ConfigurationValue.duration(text, in: .seconds(1)...(.seconds(30 * 86400)))
            try own(&settings, as: HistorySettings.self) { $0.pendingExpiry = value }
        },
        ConfigurationKey(
            name: "history.reservation_expiry", defaultValue: "5m",
            meaning: "postern-history: how long the reservation a Check gives waits for the Record that uses it (1s…1h).",
            daemons: [.history]
        ) { text, settings throws(ConfigurationValue.Invalid) in
            let value = try ConfigurationValue.duration(text, in: .seconds(1)...(.seconds(3600)))
            try own(&settings, as: HistorySettings.self) { $0.reservationExpiry = value }
        },
        ConfigurationKey(
            name: "auth.failed_attempts_expiry", defaultValue: "1h",
            meaning: "How long a flow session's failed password attempts count after the last one (1s…7d).",
            daemons: [.password]
        ) { text, settings throws(ConfigurationValue.Invalid) in
            let value = try ConfigurationValue.duration(text, in: .seconds(1)...(.seconds(7 * 86400)))
            try own(&settings, as: PasswordSettings.self) { $0.failedAttemptsExpiry = value }
        },
        ConfigurationKey(
            name: "state_directory", defaultValue: "/var/lib/postern/<name>",
            meaning: "Where the daemon keeps its database (an absolute path); created with mode 0700 if missing."
        ) { text, settings throws(ConfigurationValue.Invalid) in
            guard text.hasPrefix("/") else { throw .init("the state directory must be an absolute path") }
            settings.daemon.stateDirectory = text
        },
        ConfigurationKey(
            name: "insecure_permissions_ok", defaultValue: "false",
            meaning: "`true` reads key and pepper files that group or others may read or write, that another user owns, or that are symbolic links."
        ) { text, settings throws(ConfigurationValue.Invalid) in
            settings.daemon.insecurePermissionsOK = try ConfigurationValue.boolean(text)
        },
        ConfigurationKey(
            name: "threads", defaultValue: "auto",
            meaning: "Event loop threads serving connections (1…256), or auto: one per CPU."
        ) { text, settings throws(ConfigurationValue.Invalid) in
            settings.daemon.eventLoopThreads = text == "auto" ? nil : try ConfigurationValue.integer(text, in: 1...256)
        },
        ConfigurationKey(
            name: "shutdown.grace_period", defaultValue: "10s",
            meaning: "On SIGTERM/SIGINT, how long running calls may take to finish before connections close (0s…10m)."
        ) { text, settings throws(ConfigurationValue.Invalid) in
            settings.daemon.server.shutdownGracePeriod = try ConfigurationValue.duration(text, in: .zero...(.seconds(600)))
        },
        ConfigurationKey(
            name: "log.level", defaultValue: "info",
            meaning: "trace, debug, info, notice, warning, error or critical."
        ) { text, settings throws(ConfigurationValue.Invalid) in
            settings.daemon.logLevel = try ConfigurationValue.logLevel(text)
        },
        ConfigurationKey(
            name: "diagnostics", defaultValue: "false",
            meaning: "Tests only: `true` serves `postern.diagnostics.v1.Diagnostics/Sleep` (class `read`)."
        ) { text, settings throws(ConfigurationValue.Invalid) in
            settings.daemon.diagnostics = try ConfigurationValue.boolean(text)
        },
        ConfigurationKey(
            name: "diagnostics.pause_after_history_record", defaultValue: "0s",
            meaning: "Tests only, with diagnostics: postern-password waits this long after recording a password as pending.",
            daemons: [.password]
        ) { text, settings throws(ConfigurationValue.Invalid) in
            let value = try ConfigurationValue.duration(text, in: .zero...(.seconds(600)))
            try own(&settings, as: PasswordSettings.self) { $0.diagnosticPauseAfterHistoryRecord = value }
        },
        ConfigurationKey(
            name: "diagnostics.pause_after_password_commit", defaultValue: "0s",
            meaning: "Tests only, with diagnostics: postern-password waits this long after storing a password, before confirming its history.",
            daemons: [.password]
        ) { text, settings throws(ConfigurationValue.Invalid) in
            let value = try ConfigurationValue.duration(text, in: .zero...(.seconds(600)))
            try own(&settings, as: PasswordSettings.self) { $0.diagnosticPauseAfterPasswordCommit = value }
        },
    ]
}

/// Applies `change` to the settings being read, which a key's `daemons` make sure are `S`.
/// A setting two daemons read: postern-password's and postern-policy's.
private func ownEither(
    _ settings: inout any ConfiguredSettings, password: (inout PasswordSettings) -> Void, policy: (inout PolicySettings) -> Void
) throws(ConfigurationValue.Invalid) {
    if settings is PolicySettings {
        try own(&settings, as: PolicySettings.self, policy)
    } else {
        try own(&settings, as: PasswordSettings.self, password)
    }
}

private func own<S>(
    _ settings: inout any ConfiguredSettings, as type: S.Type, _ change: (inout S) -> Void
) throws(ConfigurationValue.Invalid) {
    guard var own = settings as? S else { throw .init("not read by \(Swift.type(of: settings).identity.executableName)") }
    change(&own)
    guard let changed = own as? any ConfiguredSettings else { throw .init("not a daemon's settings") }
    settings = changed
}
