import PasswordService
import PosternProtocol
import PosternRPC
import PosternWire
import Testing

/// Every postern-password service through the router, in process (InProcessPasswordDaemon).
@Suite struct ServicesThroughTheRouterTests {
    @Test func usersAreCreatedReadUpdatedDisabledAndDeleted() async throws {
        try await withPasswordDaemon { daemon in
            let alice = try await daemon.call(V1.Users.create, V1.CreateUserRequest(id: "u1", username: "alice", name: "Alice"))
            #expect(alice.id == "u1" && alice.isActive && alice.type == .internal && alice.attributesJSON == "{}")
            #expect(try await daemon.call(V1.Users.get, V1.GetUserRequest(username: "alice")) == alice)
            #expect(await daemon.status(V1.Users.create, V1.CreateUserRequest(username: "alice")) == .alreadyExists)
            #expect(await daemon.status(V1.Users.get, V1.GetUserRequest(username: "bob")) == .notFound)

            let renamed = try await daemon.call(V1.Users.update, V1.UpdateUserRequest(id: "u1", updateMask: ["name"], name: "Alice B."))
            #expect(renamed.name == "Alice B." && renamed.username == "alice")
            #expect(await daemon.status(V1.Users.update, V1.UpdateUserRequest(id: "u1", updateMask: ["hash"])) == .invalidArgument)
            #expect(try await daemon.call(V1.Users.disable, V1.DisableUserRequest(id: "u1")).isActive == false)

            _ = try await daemon.call(V1.Users.create, V1.CreateUserRequest(username: "bob"))
            let page = try await daemon.call(V1.Users.list, V1.ListUsersRequest(pageSize: 1))
            #expect(page.users.map(\.username) == ["alice"] && !page.nextPageToken.isEmpty)
            let next = try await daemon.call(V1.Users.list, V1.ListUsersRequest(pageSize: 1, pageToken: page.nextPageToken))
            #expect(next.users.map(\.username) == ["bob"])

            _ = try await daemon.call(V1.Users.delete, V1.DeleteUserRequest(id: "u1"))
            #expect(await daemon.status(V1.Users.get, V1.GetUserRequest(id: "u1")) == .notFound)
        }
    }

    /// Names that look like other names, or hide in a log line, are refused (issue 28, item 10).
    @Test func usernamesAndStageNamesRefuseInvisibleAndUnassignedCharacters() async throws {
        try await withPasswordDaemon { daemon in
            for (text, words) in [
                ("ad\u{202E}nimda", "invisible formatting character (U+202E)"), ("a\u{200B}b", "(U+200B)"),
                ("a\u{2028}b", "line or paragraph separator (U+2028)"), ("a\u{0378}b", "unassigned code point (U+0378)"),
                ("a\u{7}b", "control character (U+0007)"),
            ] {
                let user = await #expect(throws: RPCError.self) {
                    try await daemon.call(V1.Users.create, V1.CreateUserRequest(username: text))
                }
                #expect(user?.code == .invalidArgument && user?.message.hasPrefix("username contains") == true
                        && user?.message.hasSuffix(words) == true, "\(String(describing: user))")
                let stage = await #expect(throws: RPCError.self) {
                    try await daemon.call(V1.Stages.create, V1.CreateStageRequest(stage: .init(name: text, backends: [.internal])))
                }
                #expect(stage?.code == .invalidArgument && stage?.message.hasSuffix(words) == true, "\(String(describing: stage))")
            }
            let listed = try await daemon.call(V1.Users.list, V1.ListUsersRequest())
            #expect(listed.users.isEmpty)
            // Letters of any script, and emoji without joiners, are fine.
            let created = try await daemon.call(V1.Users.create, V1.CreateUserRequest(username: "Ålice_ß-👍"))
            #expect(created.username == "Ålice_ß-👍")
        }
    }

    @Test func stagesAreConfiguredAndRenderAChallenge() async throws {
        try await withPasswordDaemon { daemon in
            let stage = V1.PasswordStage(name: "login", backends: [.internal, .appPassword], allowShowPassword: true)
            let created = try await daemon.call(V1.Stages.create, V1.CreateStageRequest(stage: stage))
            #expect(created.failedAttemptsBeforeCancel == 5, "0 means authentik's default")
            #expect(await daemon.status(V1.Stages.create, V1.CreateStageRequest()) == .invalidArgument, "no stage")
            #expect(await daemon.status(V1.Stages.create, V1.CreateStageRequest(stage: .init(name: "l", backends: [.kerberos, .kerberos])))
                    == .invalidArgument)
            let challenge = try await daemon.call(V1.Stages.getChallenge, V1.GetChallengeRequest(stage: "login", pendingUser: "al"))
            #expect(challenge == V1.PasswordChallenge(component: "ak-stage-password", pendingUser: "al", allowShowPassword: true))
            _ = try await daemon.call(V1.Stages.update, V1.UpdateStageRequest(stage: .init(name: "login", backends: [.internal])))
            #expect(try await daemon.call(V1.Stages.get, V1.GetStageRequest(name: "login")).backends == [.internal])
            #expect(try await daemon.call(V1.Stages.list, V1.ListStagesRequest()).stages.map(\.name) == ["login"])
            _ = try await daemon.call(V1.Stages.delete, V1.DeleteStageRequest(name: "login"))
            #expect(await daemon.status(V1.Stages.get, V1.GetStageRequest(name: "login")) == .notFound)
        }
    }

    @Test func aPasswordIsSetChangedAndChecked() async throws {
        try await withPasswordDaemon { daemon in
            _ = try await daemon.call(V1.Stages.create, V1.CreateStageRequest(stage: .init(name: "login", backends: [.internal])))
            _ = try await daemon.call(V1.Users.create, V1.CreateUserRequest(id: "u1", username: "alice"))
            let set = try await daemon.call(V1.Passwords.set, V1.SetPasswordRequest(userID: "u1", password: "first password"))
            #expect(set.passwordChangedUnixMs > 0)

            func login(_ secret: String, session: String = "s") async throws -> V1.AuthenticateResponse {
                try await daemon.call(V1.Authentication.authenticate, V1.AuthenticateRequest(
                    stage: "login", flowSession: session, username: "alice", secret: secret))
            }
            let right = try await login("first password")
            #expect(right.outcome == .authenticated && right.userID == "u1" && right.backend == "internal")
            let wrong = try await login("wrong", session: "t")
            #expect(wrong.outcome == .invalid && wrong.attemptsLeft == 4)

            #expect(await daemon.status(V1.Passwords.change, V1.ChangePasswordRequest(
                userID: "u1", currentPassword: "wrong", newPassword: "second password")) == .unauthenticated)
            _ = try await daemon.call(V1.Passwords.change, V1.ChangePasswordRequest(
                userID: "u1", currentPassword: "first password", newPassword: "second password"))
            #expect(try await login("second password", session: "u").outcome == .authenticated)
            #expect(try await login("first password", session: "v").outcome == .invalid)
        }
    }

    @Test func appPasswordsAndServiceAccountsSignIn() async throws {
        try await withPasswordDaemon { daemon in
            _ = try await daemon.call(V1.Stages.create, V1.CreateStageRequest(stage: .init(name: "api", backends: [.appPassword])))
            _ = try await daemon.call(V1.Users.create, V1.CreateUserRequest(id: "u1", username: "alice"))
            let created = try await daemon.call(V1.AppPasswords.create, V1.CreateAppPasswordRequest(userID: "u1", descriptionField: "mail"))
            let id = try #require(created.appPassword?.id)
            #expect(created.secret.hasPrefix("pstn_ap_") && created.appPassword?.descriptionField == "mail")
            #expect(!"\(created)".contains(created.secret), "the description masks the secret")
            #expect(try await daemon.call(V1.AppPasswords.view, V1.ViewAppPasswordRequest(id: id)).secret == created.secret)
            #expect(try await daemon.call(V1.AppPasswords.list, V1.ListAppPasswordsRequest(userID: "u1")).appPasswords.map(\.id) == [id])

            func login(_ username: String, _ secret: String, _ session: String) async throws -> V1.AuthenticateResponse {
                try await daemon.call(V1.Authentication.authenticate, V1.AuthenticateRequest(
                    stage: "api", flowSession: session, username: username, secret: secret))
            }
            #expect(try await login("alice", created.secret, "a").outcome == .authenticated)
            _ = try await daemon.call(V1.AppPasswords.revoke, V1.RevokeAppPasswordRequest(id: id))
            #expect(try await login("alice", created.secret, "b").outcome == .invalid)

            let account = try await daemon.call(V1.ServiceAccounts.create, V1.CreateServiceAccountRequest(username: "ci-bot"))
            #expect(account.user?.type == .serviceAccount && account.appPassword?.expiresUnixMs != 0)
            #expect(try await login("ci-bot", account.secret, "c").outcome == .authenticated)
        }
    }

    @Test func withoutAnAppPasswordKeyAppPasswordsAreRefusedWithTheReason() async throws {
        try await withPasswordDaemon(appPasswordKey: nil) { daemon in
            _ = try await daemon.call(V1.Users.create, V1.CreateUserRequest(id: "u1", username: "alice"))
            #expect(await daemon.status(V1.AppPasswords.create, V1.CreateAppPasswordRequest(userID: "u1")) == .failedPrecondition)
        }
    }
}
