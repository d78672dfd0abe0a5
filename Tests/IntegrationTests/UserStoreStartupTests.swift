import Foundation
import Testing

/// postern-password opening its user store at start, over the real executable.
@Suite struct UserStoreStartupTests {
    @Test func theDaemonCreatesItsStoreInAPrivateStateDirectoryAndReopensIt() async throws {
        try await withTemporaryDirectory { dir in
            let state = "\(dir)/state/password"
            for round in 1...2 {
                try await withDaemons({
                    [try DaemonProcess(
                        .password, socketPath: "\(dir)/p.sock",
                        environment: ["POSTERN_PASSWORD_STATE_DIRECTORY": state], logDirectory: dir)]
                }) { daemons in
                    _ = try await daemons[0].waitUntilServing()
                    #expect(await daemons[0].logEventuallyContains("user store open"), "round \(round), log:\n\(daemons[0].log)")
                    #expect(daemons[0].log.contains("schema=v8-kerberos-sources"), "log:\n\(daemons[0].log)")
                    #expect(await daemons[0].stop() == 0)
                }
            }
            var status = stat()
            #expect(stat(state, &status) == 0)
            #expect(status.st_mode & 0o777 == 0o700, "hashes live here: owner only")
            #expect(FileManager.default.fileExists(atPath: "\(state)/password.sqlite3"))
        }
    }

    @Test func aStateDirectoryThatCannotBeMadeKeepsTheDaemonFromStarting() async throws {
        try await withTemporaryDirectory { dir in
            let blocker = "\(dir)/a-file"
            _ = FileManager.default.createFile(atPath: blocker, contents: Data("x".utf8))
            try await withDaemons({
                [try DaemonProcess(
                    .password, socketPath: "\(dir)/p.sock",
                    environment: ["POSTERN_PASSWORD_STATE_DIRECTORY": "\(blocker)/state"], logDirectory: dir)]
            }) { daemons in
                #expect(await daemons[0].waitForExit() == 1)
                #expect(daemons[0].log.contains("cannot start: cannot create the state directory \(blocker)/state"),
                        "log:\n\(daemons[0].log)")
                #expect(!FileManager.default.fileExists(atPath: "\(dir)/p.sock"), "it never listened")
            }
        }
    }

    @Test func aStoreThatIsNotADatabaseKeepsTheDaemonFromStartingAndIsLeftAlone() async throws {
        try await withTemporaryDirectory { dir in
            let state = "\(dir)/state"
            try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: false)
            let junk = Data(repeating: 0x41, count: 8192)
            try junk.write(to: URL(fileURLWithPath: "\(state)/password.sqlite3"))
            try await withDaemons({
                [try DaemonProcess(
                    .password, socketPath: "\(dir)/p.sock",
                    environment: ["POSTERN_PASSWORD_STATE_DIRECTORY": state], logDirectory: dir)]
            }) { daemons in
                #expect(await daemons[0].waitForExit() == 1)
                #expect(daemons[0].log.contains("cannot start: cannot open the user store \(state)/password.sqlite3"),
                        "log:\n\(daemons[0].log)")
            }
            #expect(try Data(contentsOf: URL(fileURLWithPath: "\(state)/password.sqlite3")) == junk)
        }
    }
}
