import ArgumentParser
import PosternDaemon
import PosternProtocol
import PosternRPC
import PosternWire
import HistoryService

/// The `postern-history` executable: options in, `DaemonRunner` does the rest.
@main
struct HistoryDaemonCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: DaemonIdentity.history.executableName,
        abstract: "Postern's history daemon: serves its RPCs on a Unix socket.",
        version: PosternVersion.current)

    @OptionGroup var options: DaemonOptions

    func run() async throws {
        try await DaemonRunner.run(HistoryDaemon.description, options: options)
    }
}
