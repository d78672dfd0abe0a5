import ArgumentParser
import PosternDaemon
import PosternProtocol
import PosternRPC
import PosternWire
import PolicyService

/// The `postern-policy` executable: options in, `DaemonRunner` does the rest.
@main
struct PolicyDaemonCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: DaemonIdentity.policy.executableName,
        abstract: "Postern's policy daemon: serves its RPCs on a Unix socket.",
        version: PosternVersion.current)

    @OptionGroup var options: DaemonOptions

    func run() async throws {
        try await DaemonRunner.run(PolicyDaemon.description, options: options)
    }
}
