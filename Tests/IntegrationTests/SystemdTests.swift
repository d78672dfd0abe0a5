import Foundation
import PosternClient
import Testing

/// The daemons started the way systemd starts them: socket activation through
/// `systemd-socket-activate`, and sd_notify into a datagram socket the test owns.
@Suite(.serialized) struct SystemdTests {
    static let socketActivate = "/usr/bin/systemd-socket-activate"
    static var haveSocketActivate: Bool { FileManager.default.isExecutableFile(atPath: socketActivate) }

    @Test(.enabled(if: haveSocketActivate, "scripts/setup installs systemd"))
    func aSocketActivatedDaemonServesOnThePassedSocketAndLeavesItsFile() async throws {
        try await withTemporaryDirectory { dir in
            try await withDaemons({
                [try DaemonProcess(
                    .password, socketPath: "\(dir)/activated.sock",
                    arguments: ["--socket", "\(dir)/ignored.sock"],
                    launcher: [Self.socketActivate, "-l", "\(dir)/activated.sock"], logDirectory: dir)]
            }) { daemons in
                let answer = try await daemons[0].waitUntilServing()
                #expect(answer.daemon == "postern-password")
                #expect(await daemons[0].logEventuallyContains("from=systemd"), "log:\n\(daemons[0].log)")
                #expect(!FileManager.default.fileExists(atPath: "\(dir)/ignored.sock"))
                #expect(await daemons[0].stop() == 0, "log:\n\(daemons[0].log)")
                // systemd made the socket file and owns it; the daemon leaves it alone.
                #expect(FileManager.default.fileExists(atPath: "\(dir)/activated.sock"))
            }
        }
    }

    @Test(.enabled(if: haveSocketActivate, "scripts/setup installs systemd"))
    func withSeveralSocketsTheDaemonTakesTheOneNamedForIt() async throws {
        try await withTemporaryDirectory { dir in
            try await withDaemons({
                [try DaemonProcess(
                    .history, socketPath: "\(dir)/mine.sock",
                    launcher: [
                        Self.socketActivate, "-l", "\(dir)/other.sock", "-l", "\(dir)/mine.sock",
                        "--fdname=postern-password.socket:postern-history.socket",
                    ], logDirectory: dir)]
            }) { daemons in
                let answer = try await daemons[0].waitUntilServing()
                #expect(answer.daemon == "postern-history")
                #expect(await daemons[0].logEventuallyContains("socket=\(dir)/mine.sock"), "log:\n\(daemons[0].log)")
            }
        }
    }

    @Test(.enabled(if: haveSocketActivate, "scripts/setup installs systemd"))
    func withSeveralSocketsAndNoneNamedForItTheDaemonSaysWhyAndExits() async throws {
        try await withTemporaryDirectory { dir in
            try await withDaemons({
                [try DaemonProcess(
                    .policy, socketPath: "\(dir)/a.sock",
                    launcher: [Self.socketActivate, "-l", "\(dir)/a.sock", "-l", "\(dir)/b.sock", "--fdname=web:db"],
                    logDirectory: dir)]
            }) { daemons in
                // systemd-socket-activate starts the daemon on the first connection, once it listens.
                for _ in 0..<100 {
                    guard let client = try? await RPCClient.connect(to: "\(dir)/a.sock") else {
                        try await Task.sleep(for: .milliseconds(50))
                        continue
                    }
                    _ = try? await client.checkHealth(timeout: .seconds(5))
                    await client.close()
                    break
                }
                #expect(await daemons[0].waitForExit() == 1)
                #expect(daemons[0].log.contains("cannot start: systemd passed 2 sockets named \"web:db\""), "log:\n\(daemons[0].log)")
            }
        }
    }

    @Test func sdNotifySaysReadyOnceServingAndStoppingOnSIGTERM() async throws {
        try await withTemporaryDirectory { dir in
            let notify = try NotifySocket(path: "\(dir)/notify.sock")
            try await withDaemons({
                [try DaemonProcess(
                    .policy, socketPath: "\(dir)/p.sock", environment: ["NOTIFY_SOCKET": notify.path], logDirectory: dir)]
            }) { daemons in
                let ready = await notify.receive()
                let readyLines = ready?.split(separator: "\n").map(String.init) ?? []
                #expect(readyLines.contains("READY=1"), "got \(ready ?? "nothing")")
                #expect(readyLines.contains("STATUS=serving on \(dir)/p.sock"))
                #expect(readyLines.contains("MAINPID=\(daemons[0].pid)"))
                // READY=1 is sent once the socket listens: Health answers at once.
                let client = try await RPCClient.connect(to: "\(dir)/p.sock")
                #expect(try await client.checkHealth().status == .serving)
                await client.close()

                #expect(await daemons[0].stop(signal: SIGTERM) == 0)
                let stopping = await notify.receive(timeout: .seconds(1))
                #expect(stopping?.split(separator: "\n").contains("STOPPING=1") == true, "got \(stopping ?? "nothing")")
            }
        }
    }
}
