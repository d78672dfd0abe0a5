import PosternProtocol
import Testing

@Suite struct UserMessagesCodecTests {
    static let alice = User(
        id: "idp-1", username: "alice", name: "Älice", isActive: false, kind: .serviceAccount,
        attributesJSON: #"{"a": 1}"#, hasUsablePassword: true, passwordChangedUnixMilliseconds: 1_700_000_000_123,
        createdUnixMilliseconds: 1_600_000_000_000, updatedUnixMilliseconds: -1, ldapDN: "uid=alice,dc=example",
        kerberosPrincipal: "alice@EXAMPLE.ORG")

    @Test func userRoundTripsEveryField() throws {
        #expect(try User(protobuf: Self.alice.protobuf()) == Self.alice)
        #expect(try User(protobuf: User().protobuf()) == User())
        // Absent fields read as protobuf's zero values.
        #expect(try User(protobuf: []) == User(isActive: false, kind: .unspecified, attributesJSON: ""))
    }

    @Test func aListRoundTripsItsUsersInOrder() throws {
        let list = ListUsersResponse(users: [Self.alice, User(id: "2", username: "bob")], nextPageToken: "Ym9i")
        #expect(try ListUsersResponse(protobuf: list.protobuf()) == list)
        let empty = ListUsersResponse(users: [])
        #expect(try ListUsersResponse(protobuf: empty.protobuf()) == empty)
    }

    @Test func requestsRoundTrip() throws {
        let create = CreateUserRequest(
            id: "x", username: "u", name: "n", kind: .internal, attributesJSON: "{}", inactive: true,
            ldapDN: "dn", kerberosPrincipal: "p")
        #expect(try CreateUserRequest(protobuf: create.protobuf()) == create)
        let update = UpdateUserRequest(
            id: "x", updateMask: ["username", "is_active"], username: "v", isActive: true)
        #expect(try UpdateUserRequest(protobuf: update.protobuf()) == update)
        #expect(try GetUserRequest(protobuf: GetUserRequest(username: "u").protobuf()) == GetUserRequest(username: "u"))
        #expect(try ListUsersRequest(protobuf: ListUsersRequest(pageSize: 5, pageToken: "t").protobuf())
            == ListUsersRequest(pageSize: 5, pageToken: "t"))
        #expect(try DisableUserRequest(protobuf: DisableUserRequest(id: "x").protobuf()) == DisableUserRequest(id: "x"))
        #expect(try DeleteUserRequest(protobuf: DeleteUserRequest(id: "x").protobuf()) == DeleteUserRequest(id: "x"))
        #expect(DeleteUserResponse().protobuf().isEmpty)
    }

    @Test func anUnknownUserTypeReadsAsUnspecified() throws {
        // type = 5 (varint) 9
        #expect(try User(protobuf: [0x28, 0x09]).kind == .unspecified)
    }

    @Test func aUsernameThatIsNotUTF8IsRefusedNamingTheField() {
        // username = 2, length 2, 0xFF 0xFE
        let error = #expect(throws: ProtoDecodingError.self) { try CreateUserRequest(protobuf: [0x12, 0x02, 0xFF, 0xFE]) }
        #expect(error?.description.contains("username") == true)
    }
}
