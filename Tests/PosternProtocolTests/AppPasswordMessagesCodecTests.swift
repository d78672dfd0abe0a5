import PosternProtocol
import Testing

@Suite struct AppPasswordMessagesCodecTests {
    static let appPassword = AppPassword(
        id: "a1", userID: "u1", description: "mail ✓", createdUnixMilliseconds: 1_700_000_000_000,
        expiresUnixMilliseconds: 1_800_000_000_000, revokedUnixMilliseconds: 1_750_000_000_000)

    @Test func everyMessageRoundTrips() throws {
        let appPassword = Self.appPassword
        #expect(try AppPassword(protobuf: appPassword.protobuf()) == appPassword)
        let create = CreateAppPasswordRequest(username: "alice", description: "d", expiresUnixMilliseconds: 5)
        #expect(try CreateAppPasswordRequest(protobuf: create.protobuf()) == create)
        let withSecret = AppPasswordWithSecret(appPassword: appPassword, secret: "pstn_ap_x")
        #expect(try CreateAppPasswordResponse(protobuf: CreateAppPasswordResponse(withSecret).protobuf()).created == withSecret)
        #expect(try ViewAppPasswordResponse(protobuf: ViewAppPasswordResponse(withSecret).protobuf()).viewed == withSecret)
        let list = ListAppPasswordsResponse(appPasswords: [appPassword, AppPassword(id: "a2", userID: "u2")])
        #expect(try ListAppPasswordsResponse(protobuf: list.protobuf()) == list)
        #expect(try ListAppPasswordsResponse(protobuf: []).appPasswords.isEmpty)
        let listRequest = ListAppPasswordsRequest(userID: "u1", includeRevoked: true)
        #expect(try ListAppPasswordsRequest(protobuf: listRequest.protobuf()) == listRequest)
        #expect(try ViewAppPasswordRequest(protobuf: ViewAppPasswordRequest(id: "a1").protobuf()).id == "a1")
        #expect(try RevokeAppPasswordRequest(protobuf: RevokeAppPasswordRequest(id: "a1").protobuf()).id == "a1")
        let account = CreateServiceAccountRequest(id: "s", username: "bot", name: "Bot", nonExpiring: true, expiresUnixMilliseconds: 9)
        #expect(try CreateServiceAccountRequest(protobuf: account.protobuf()) == account)
        let made = CreateServiceAccountResponse(user: User(id: "s", username: "bot", kind: .serviceAccount), created: withSecret)
        #expect(try CreateServiceAccountResponse(protobuf: made.protobuf()) == made)
    }

    @Test func aResponseWithoutItsAppPasswordReadsAsOneWithoutAnID() throws {
        let response = try CreateAppPasswordResponse(protobuf: [])
        #expect(response.created.appPassword.id.isEmpty && response.created.secret.isEmpty)
    }

    @Test func descriptionsNeverShowTheSecret() {
        let withSecret = AppPasswordWithSecret(appPassword: Self.appPassword, secret: "pstn_ap_topsecret")
        let texts = [
            "\(withSecret)", "\(CreateAppPasswordResponse(withSecret))", "\(ViewAppPasswordResponse(withSecret))",
            "\(CreateServiceAccountResponse(user: User(id: "s"), created: withSecret))",
        ]
        #expect(texts.allSatisfy { !$0.contains("topsecret") }, "\(texts)")
    }
}
