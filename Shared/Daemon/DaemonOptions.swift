import ArgumentParser

/// The command-line options every Postern daemon takes.
public struct DaemonOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "The configuration file. Default: POSTERN_<NAME>_CONFIG, else /etc/postern/<name>.conf when it exists.",
        valueName: "path"))
    public var config: String?

    @Option(help: ArgumentHelp(
        "The Unix socket to listen on; beats the configuration's `socket` key and POSTERN_<NAME>_SOCKET.",
        valueName: "path"))
    public var socket: String?

    @Flag(help: "Read and validate the configuration, print what is wrong (exit 1) or that it is fine (exit 0), and exit.")
    public var checkConfig = false

    public init() {}
}
