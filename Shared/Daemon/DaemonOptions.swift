import ArgumentParser

/// The command-line options every Postern daemon takes.
public struct DaemonOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "The Unix socket to listen on. Default: the daemon's environment variable (POSTERN_<NAME>_SOCKET), else /run/postern/<name>.sock.",
        valueName: "path"))
    public var socket: String?

    public init() {}
}
