import PosternProtocol
import Testing

@Suite struct UserMessagesCodecTests {
    static let alice = Postern.Password.V1.User(
        id: "idp-1", username: "alice", name: "Älice", isActive: false, type: .serviceAccount,
        attributesJSON: #"{"a": 1}"#, hasUsablePassword: true, passwordChangedUnixMs: 1_700_000_000_123,
        createdUnixMs: 1_600_000_000_000, updatedUnixMs: -1, ldapDN: "uid=alice,dc=example",
        kerberosPrincipal: "alice@EXAMPLE.ORG")

    @Test func userRoundTripsEveryField() throws {
        #expect(try Postern.Password.V1.User(protobuf: Self.alice.protobuf()) == Self.alice)
        #expect(try Postern.Password.V1.User(protobuf: Postern.Password.V1.User().protobuf()) == Postern.Password.V1.User())
        // Absent fields read as protobuf's zero values.
        #expect(try Postern.Password.V1.User(protobuf: []) == Postern.Password.V1.User(isActive: false, type: .unspecified, attributesJSON: ""))
    }

    @Test func aListRoundTripsItsUsersInOrder() throws {
        let list = Postern.Password.V1.ListUsersResponse(users: [Self.alice, Postern.Password.V1.User(id: "2", username: "bob")], nextPageToken: "Ym9i")
        #expect(try Postern.Password.V1.ListUsersResponse(protobuf: list.protobuf()) == list)
        let empty = Postern.Password.V1.ListUsersResponse(users: [])
        #expect(try Postern.Password.V1.ListUsersResponse(protobuf: empty.protobuf()) == empty)
    }

    @Test func requestsRoundTrip() throws {
        let create = Postern.Password.V1.CreateUserRequest(
            id: "x", username: "u", name: "n", type: .internal, attributesJSON: "{}", inactive: true,
            ldapDN: "dn", kerberosPrincipal: "p")
        #expect(try Postern.Password.V1.CreateUserRequest(protobuf: create.protobuf()) == create)
        let update = Postern.Password.V1.UpdateUserRequest(
            id: "x", updateMask: ["username", "is_active"], username: "v", isActive: true)
        #expect(try Postern.Password.V1.UpdateUserRequest(protobuf: update.protobuf()) == update)
        #expect(try Postern.Password.V1.GetUserRequest(protobuf: Postern.Password.V1.GetUserRequest(username: "u").protobuf()) == Postern.Password.V1.GetUserRequest(username: "u"))
        #expect(try Postern.Password.V1.ListUsersRequest(protobuf: Postern.Password.V1.ListUsersRequest(pageSize: 5, pageToken: "t").protobuf())
            == Postern.Password.V1.ListUsersRequest(pageSize: 5, pageToken: "t"))
        #expect(try Postern.Password.V1.DisableUserRequest(protobuf: Postern.Password.V1.DisableUserRequest(id: "x").protobuf()) == Postern.Password.V1.DisableUserRequest(id: "x"))
        #expect(try Postern.Password.V1.DeleteUserRequest(protobuf: Postern.Password.V1.DeleteUserRequest(id: "x").protobuf()) == Postern.Password.V1.DeleteUserRequest(id: "x"))
        #expect(Postern.Password.V1.DeleteUserResponse().protobuf().isEmpty)
    }

    @Test func anUnknownUserTypeIsRefusedNamingTheField() {
        // type = 5 (varint) 9
        #expect(throws: ProtoDecodingError(
            messageType: "postern.password.v1.User",
            problem: "type is 9, which postern.password.v1.UserType does not list")) {
            try Postern.Password.V1.User(protobuf: [0x28, 0x09])
        }
    }

    @Test func aUsernameThatIsNotUTF8IsRefusedNamingTheField() {
        // username = 2, length 2, 0xFF 0xFE
        let error = #expect(throws: ProtoDecodingError.self) { try Postern.Password.V1.CreateUserRequest(protobuf: [0x12, 0x02, 0xFF, 0xFE]) }
        #expect(error?.description.contains("username") == true)
    }
}
