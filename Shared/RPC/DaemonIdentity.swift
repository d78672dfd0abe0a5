/// The three Postern daemons: their executable names, and where each listens unless told
/// otherwise (`--socket`, or the environment variable).
public enum DaemonIdentity: String, CaseIterable, Sendable {
    case password
    case history
    case policy

    /// The executable and the name a Health answer carries: `postern-password`.
    public var executableName: String { "postern-\(rawValue)" }

    /// Where the daemon's environment variables start: `POSTERN_PASSWORD_`. Each
    /// configuration key `a.b` is overridden by the variable `POSTERN_PASSWORD_A_B`.
    public var environmentPrefix: String { "POSTERN_\(rawValue.uppercased())_" }

    /// The environment variable naming the socket path, for the daemon and its clients alike:
    /// `POSTERN_PASSWORD_SOCKET` (the configuration key `socket`).
    public var socketEnvironmentVariable: String { environmentPrefix + "SOCKET" }

    /// The configuration file read when neither `--config` nor `POSTERN_<NAME>_CONFIG` names one.
    public var defaultConfigurationPath: String { "/etc/postern/\(rawValue).conf" }

    /// The socket path when neither flag nor environment names one.
    public var defaultSocketPath: String { "/run/postern/\(rawValue).sock" }

    /// Where the daemon keeps its state unless configured: systemd's `StateDirectory=postern/<name>`.
    public var defaultStateDirectory: String { "/var/lib/postern/\(rawValue)" }
}

/// This build's version, reported by `--version` and in Health answers.
public enum PosternVersion {
    public static let current = "0.1.0"
}
