import Foundation
import PosternClient
import Testing

@Suite(.serialized) struct DaemonLifecycleTests {
    @Test func allThreeDaemonsAnswerHealthThenExitZeroOnSIGTERMOrSIGINT() async throws {
        try await withTemporaryDirectory { dir in
            try await withDaemons({
                try DaemonIdentity.allCases.map { identity in
                    // The password daemon gets its path from the environment, the others from --socket.
                    try DaemonProcess(
                        identity, socketPath: "\(dir)/run/\(identity.rawValue).sock",
                        viaEnvironment: identity == .password, logDirectory: dir)
                }
            }) { daemons in
                for daemon in daemons {
                    let answer = try await daemon.waitUntilServing()
                    #expect(answer.status == .serving)
                    #expect(answer.daemon == daemon.identity.executableName)
                    #expect(answer.version == PosternVersion.current)
                    #expect(FileManager.default.fileExists(atPath: daemon.socketPath))
                }
                for daemon in daemons {
                    // postern-policy gets SIGINT (Ctrl-C), the others SIGTERM (systemd).
                    let signal = daemon.identity == .policy ? SIGINT : SIGTERM
                    #expect(await daemon.stop(signal: signal) == 0, "\(daemon.identity.executableName) log:\n\(daemon.log)")
                    #expect(!FileManager.default.fileExists(atPath: daemon.socketPath), "socket file left behind")
                }
            }
        }
    }

    /// SIGHUP, SIGUSR1 and SIGUSR2 used to end every daemon (SIGHUP without a systemd
    /// restart); now each still serves after all three, and SIGTERM still stops it.
    @Test func straySignalsLeaveEveryDaemonServing() async throws {
        try await withTemporaryDirectory { dir in
            try await withDaemons({
                try DaemonIdentity.allCases.map { identity in
                    try DaemonProcess(identity, socketPath: "\(dir)/\(identity.rawValue).sock", logDirectory: dir)
                }
            }) { daemons in
                for daemon in daemons {
                    _ = try await daemon.waitUntilServing()
                    for signal in [SIGHUP, SIGUSR1, SIGUSR2] { kill(daemon.pid, signal) }
                    try await Task.sleep(for: .milliseconds(200))
                    #expect(daemon.isRunning, "\(daemon.identity.executableName) log:\n\(daemon.log)")
                    #expect(try await daemon.waitUntilServing(timeout: .seconds(5)).status == .serving)
                    #expect(await daemon.stop() == 0)
                }
            }
        }
    }

    @Test func unknownMethodIsUnimplementedAndTheConnectionStaysUsable() async throws {
        try await withTemporaryDirectory { dir in
            try await withDaemons({ [try DaemonProcess(.history, socketPath: "\(dir)/h.sock", logDirectory: dir)] }) { daemons in
                _ = try await daemons[0].waitUntilServing()
                let client = try await RPCClient.connect(to: daemons[0].socketPath)
                defer { Task { await client.close() } }

                let error = await #expect(throws: RPCError.self) {
                    _ = try await client.call("/postern.nothing.v1.Nothing/Do", payload: [1, 2, 3])
                }
                #expect(error?.code == .unimplemented)
                #expect(error?.message.contains("/postern.nothing.v1.Nothing/Do") == true)

                let unknownService = await #expect(throws: RPCError.self) {
                    _ = try await client.checkHealth(service: "postern.nothing.v1.Nothing")
                }
                #expect(unknownService?.code == .notFound)

                #expect(try await client.checkHealth(service: "postern.health.v1.Health").status == .serving)
            }
        }
    }

    @Test func clientGetsUnavailableNamingThePathWhenNothingListens() async throws {
        let path = "/tmp/postern-nobody-\(UUID().uuidString.prefix(8)).sock"
        let error = await #expect(throws: RPCError.self) { _ = try await RPCClient.connect(to: path) }
        #expect(error?.code == .unavailable)
        #expect(error?.message.contains(path) == true)
    }

    @Test func staleSocketFileIsReplaced() async throws {
        try await withTemporaryDirectory { dir in
            let path = "\(dir)/stale.sock"
            try makeStaleSocketFile(at: path)
            try await withDaemons({ [try DaemonProcess(.policy, socketPath: path, logDirectory: dir)] }) { daemons in
                let answer = try await daemons[0].waitUntilServing()
                #expect(answer.status == .serving)
            }
        }
    }

    @Test func secondDaemonOnALiveSocketRefusesToStartAndSaysWhy() async throws {
        try await withTemporaryDirectory { dir in
            let path = "\(dir)/p.sock"
            try await withDaemons({ [try DaemonProcess(.password, socketPath: path, logDirectory: dir)] }) { first in
                _ = try await first[0].waitUntilServing()
                try await withDaemons({ [try DaemonProcess(.password, socketPath: path, logDirectory: dir)] }) { second in
                    #expect(await second[0].waitForExit() == 1)
                    #expect(second[0].log.contains("already listening on \(path)"), "log:\n\(second[0].log)")
                }
                // The first one is untouched.
                let stillServing = try await first[0].waitUntilServing()
                #expect(stillServing.status == .serving)
            }
        }
    }

    @Test func daemonThatCannotBindSaysWhyAndExitsNonZero() async throws {
        try await withTemporaryDirectory { dir in
            let blocker = "\(dir)/not-a-directory"
            _ = FileManager.default.createFile(atPath: blocker, contents: Data("x".utf8))
            try await withDaemons({ [try DaemonProcess(.history, socketPath: "\(blocker)/h.sock", logDirectory: dir)] }) { daemons in
                #expect(await daemons[0].waitForExit() == 1)
                #expect(daemons[0].log.contains("cannot start"), "log:\n\(daemons[0].log)")
                #expect(daemons[0].log.contains(blocker), "log:\n\(daemons[0].log)")
            }
        }
    }
}

/// A socket file with nobody listening, as a daemon killed with SIGKILL leaves behind.
private func makeStaleSocketFile(at path: String) throws {
    let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else { throw DaemonFailure("socket() failed") }
    defer { close(descriptor) }
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8)) }
    let result = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
    }
    guard result == 0 else { throw DaemonFailure("bind(\(path)) failed: errno \(errno)") }
}
