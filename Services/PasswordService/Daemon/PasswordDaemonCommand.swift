import ArgumentParser
import PosternDaemon
import PosternProtocol
import PosternRPC
import PosternWire
import PasswordService

/// The `postern-password` executable: options in, `DaemonRunner` does the rest.
@main
struct PasswordDaemonCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: DaemonIdentity.password.executableName,
        abstract: "Postern's password daemon: serves its RPCs on a Unix socket.",
        version: PosternVersion.current)

    @OptionGroup var options: DaemonOptions

    func run() async throws {
        try await DaemonRunner.run(PasswordDaemon.description, options: options)
    }
}
