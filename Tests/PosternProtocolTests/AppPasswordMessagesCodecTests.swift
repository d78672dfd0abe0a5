import PosternProtocol
import Testing

@Suite struct AppPasswordMessagesCodecTests {
    static let appPassword = Postern.Password.V1.AppPassword(
        id: "a1", userID: "u1", descriptionField: "mail ✓", createdUnixMs: 1_700_000_000_000,
        expiresUnixMs: 1_800_000_000_000, revokedUnixMs: 1_750_000_000_000)

    @Test func everyMessageRoundTrips() throws {
        let appPassword = Self.appPassword
        #expect(try Postern.Password.V1.AppPassword(protobuf: appPassword.protobuf()) == appPassword)
        let create = Postern.Password.V1.CreateAppPasswordRequest(username: "alice", descriptionField: "d", expiresUnixMs: 5)
        #expect(try Postern.Password.V1.CreateAppPasswordRequest(protobuf: create.protobuf()) == create)
        let created = Postern.Password.V1.CreateAppPasswordResponse(appPassword: appPassword, secret: "pstn_ap_x")
        #expect(try Postern.Password.V1.CreateAppPasswordResponse(protobuf: created.protobuf()) == created)
        let viewed = Postern.Password.V1.ViewAppPasswordResponse(appPassword: appPassword, secret: "pstn_ap_x")
        #expect(try Postern.Password.V1.ViewAppPasswordResponse(protobuf: viewed.protobuf()) == viewed)
        let list = Postern.Password.V1.ListAppPasswordsResponse(appPasswords: [appPassword, Postern.Password.V1.AppPassword(id: "a2", userID: "u2")])
        #expect(try Postern.Password.V1.ListAppPasswordsResponse(protobuf: list.protobuf()) == list)
        #expect(try Postern.Password.V1.ListAppPasswordsResponse(protobuf: []).appPasswords.isEmpty)
        let listRequest = Postern.Password.V1.ListAppPasswordsRequest(userID: "u1", includeRevoked: true)
        #expect(try Postern.Password.V1.ListAppPasswordsRequest(protobuf: listRequest.protobuf()) == listRequest)
        let account = Postern.Password.V1.CreateServiceAccountRequest(id: "s", username: "bot", name: "Bot", nonExpiring: true, expiresUnixMs: 9)
        #expect(try Postern.Password.V1.CreateServiceAccountRequest(protobuf: account.protobuf()) == account)
        let made = Postern.Password.V1.CreateServiceAccountResponse(
            user: Postern.Password.V1.User(id: "s", username: "bot", type: .serviceAccount), appPassword: appPassword, secret: "s")
        #expect(try Postern.Password.V1.CreateServiceAccountResponse(protobuf: made.protobuf()) == made)
    }

    @Test func aResponseWithoutItsAppPasswordSaysSo() throws {
        // A message field that is absent decodes as nil, never as an empty app password.
        let response = try Postern.Password.V1.CreateAppPasswordResponse(protobuf: [])
        #expect(response.appPassword == nil && response.secret.isEmpty)
    }
}
