import Foundation
import PosternClient
import Testing

/// The Users methods over the real postern-password, through the Swift client.
@Suite struct UsersTests {
    @Test func usersSurviveARestartAndPagesCoverEveryoneOnce() async throws {
        try await withTemporaryDirectory { dir in
            let names = (0..<25).map { String(format: "user%02d", $0) }.shuffled()
            try await withDaemons({ [try DaemonProcess(.password, socketPath: "\(dir)/p.sock", logDirectory: dir)] }) { daemons in
                _ = try await daemons[0].waitUntilServing()
                let client = try await RPCClient.connect(to: "\(dir)/p.sock")
                for name in names { _ = try await client.createUser(Postern.Password.V1.CreateUserRequest(username: name)) }
                await client.close()
                #expect(await daemons[0].stop() == 0)
            }
            try await withDaemons({ [try DaemonProcess(.password, socketPath: "\(dir)/p.sock", logDirectory: dir)] }) { daemons in
                _ = try await daemons[0].waitUntilServing()
                let client = try await RPCClient.connect(to: "\(dir)/p.sock")
                let listed = try await client.allUsers(pageSize: 7)
                #expect(listed.map(\.username) == names.sorted())
                #expect(Set(listed.map(\.id)).count == 25)
                await client.close()
            }
        }
    }

    @Test func concurrentCreatesOfOneUsernameLeaveExactlyOne() async throws {
        try await withTemporaryDirectory { dir in
            try await withDaemons({ [try DaemonProcess(.password, socketPath: "\(dir)/p.sock", logDirectory: dir)] }) { daemons in
                _ = try await daemons[0].waitUntilServing()
                let outcomes = await withTaskGroup(of: StatusCode.self) { group in
                    for _ in 0..<20 {
                        group.addTask {
                            do {
                                let client = try await RPCClient.connect(to: "\(dir)/p.sock")
                                defer { Task { await client.close() } }
                                _ = try await client.createUser(Postern.Password.V1.CreateUserRequest(username: "contested"))
                                return .ok
                            } catch {
                                return (error as? RPCError)?.code ?? .unknown
                            }
                        }
                    }
                    return await group.reduce(into: [StatusCode]()) { $0.append($1) }
                }
                #expect(outcomes.filter { $0 == .ok }.count == 1, "\(outcomes)")
                #expect(outcomes.filter { $0 == .alreadyExists }.count == 19, "\(outcomes)")
            }
        }
    }
}
