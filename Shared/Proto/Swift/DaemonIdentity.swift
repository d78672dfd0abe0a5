/// The three Postern daemons: their executable names, and where each listens unless told
/// otherwise (`--socket`, or the environment variable).
public enum DaemonIdentity: String, CaseIterable, Sendable {
    case password
    case history
    case policy

    /// The executable and the name a Health answer carries: `postern-password`.
    public var executableName: String { "postern-\(rawValue)" }

    /// The environment variable naming the socket path: `POSTERN_PASSWORD_SOCKET`.
    public var socketEnvironmentVariable: String { "POSTERN_\(rawValue.uppercased())_SOCKET" }

    /// The socket path when neither flag nor environment names one.
    public var defaultSocketPath: String { "/run/postern/\(rawValue).sock" }
}

/// This build's version, reported by `--version` and in Health answers.
public enum PosternVersion {
    public static let current = "0.1.0"
}
