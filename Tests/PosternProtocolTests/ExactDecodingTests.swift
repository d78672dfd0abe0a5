import CPosternProto
@testable import PosternProtocol
import Testing

/// A string decodes from its exact bytes, an enum only to a value the schema lists, a repeated
/// message only whole: anything else is refused, naming the message and the field.
@Suite struct ExactDecodingTests {
    @Test func aNulInAStringIsRefusedNotCut() throws {
        // password = 3, "a\0b"
        let bytes: [UInt8] = [0x0A, 0x01, 0x75, 0x1A, 0x03, 0x61, 0x00, 0x62]
        #expect(throws: ProtoDecodingError(
            messageType: "postern.password.v1.SetPasswordRequest", problem: "password contains a NUL byte")) {
            try Postern.Password.V1.SetPasswordRequest(protobuf: bytes)
        }
        // The same bytes without the NUL decode whole.
        #expect(try Postern.Password.V1.SetPasswordRequest(protobuf: [0x1A, 0x02, 0x61, 0x62]).password == "ab")
    }

    @Test func aStringEncodesItsExactBytes() throws {
        let request = Postern.Password.V1.SetPasswordRequest(username: "u", password: "é✓ \u{1F511}")
        #expect(request.protobuf() == [0x12, 0x01, 0x75, 0x1A, 0x0A] + Array("é✓ \u{1F511}".utf8))
        #expect(try Postern.Password.V1.SetPasswordRequest(protobuf: request.protobuf()) == request)
    }

    @Test func invalidUTF8InANestedMessageIsRefusedNamingItsField() {
        // users = 1 { username = 2, 0xC3 0x28 }
        let bytes: [UInt8] = [0x0A, 0x04, 0x12, 0x02, 0xC3, 0x28]
        #expect(throws: ProtoDecodingError(
            messageType: "postern.password.v1.ImportedUser", problem: "username is not valid UTF-8")) {
            try Postern.Password.V1.ImportUsersRequest(protobuf: bytes)
        }
    }

    @Test func aNulInARepeatedStringIsRefusedNamingTheElement() {
        // update_mask = 2: "name", "x\0"
        let bytes: [UInt8] = [0x12, 0x04, 0x6E, 0x61, 0x6D, 0x65, 0x12, 0x02, 0x78, 0x00]
        #expect(throws: ProtoDecodingError(
            messageType: "postern.password.v1.UpdateUserRequest", problem: "update_mask[1] contains a NUL byte")) {
            try Postern.Password.V1.UpdateUserRequest(protobuf: bytes)
        }
    }

    @Test func anUnknownEnumValueIsRefusedNamingTheField() {
        // outcome = 1, 7
        #expect(throws: ProtoDecodingError(
            messageType: "postern.password.v1.AuthenticateResponse",
            problem: "outcome is 7, which postern.password.v1.AuthenticateResponse.Outcome does not list")) {
            try Postern.Password.V1.AuthenticateResponse(protobuf: [0x08, 0x07])
        }
        // A negative number, too (int32 -1 as a ten-byte varint).
        let negative: [UInt8] = [0x20, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]
        #expect(throws: ProtoDecodingError.self) { try Postern.Password.V1.CreateUserRequest(protobuf: negative) }
    }

    /// protobuf-c never unpacks a repeated message with a null element, but a C struct built by
    /// other code could hold one: the generated decoder refuses it rather than skip it.
    @Test func aRepeatedMessageWithAMissingElementIsRefused() {
        var user = Postern__Password__V1__User()
        postern__password__v1__user__init(&user)
        withUnsafeMutablePointer(to: &user) { present in
            var pointers: [UnsafeMutablePointer<Postern__Password__V1__User>?] = [present, nil]
            pointers.withUnsafeMutableBufferPointer { buffer in
                var list = Postern__Password__V1__ListUsersResponse()
                postern__password__v1__list_users_response__init(&list)
                list.n_users = 2
                list.users = buffer.baseAddress
                #expect(throws: ProtoDecodingError(
                    messageType: "postern.password.v1.ListUsersResponse", problem: "users[1] is missing")) {
                    try Postern.Password.V1.ListUsersResponse(c: list)
                }
                list.n_users = 1
                #expect((try? Postern.Password.V1.ListUsersResponse(c: list))?.users.count == 1)
            }
        }
    }
}
