@testable import PosternProtocol
import CPosternProto
import Testing

/// Encoding lays out C structs and field bytes in an arena that starts on the stack and goes
/// on to the heap; everything must stay intact until the pack, on both sides of that line.
@Suite struct ProtoArenaTests {
    @Test func everyCopyStaysIntactWhileTheArenaLives() {
        var strings = ["", "a", "é✓ unicode", "a\u{0}b", String(repeating: "x", count: 1023)]
        strings += (0..<200).map { "string number \($0) " + String(repeating: "y", count: $0 * 7) }
        strings.append(String(repeating: "z", count: 9000))  // longer than a heap block
        ProtoArena.with { arena in
            let copies = strings.map { arena.binary($0) }
            for (string, copy) in zip(strings, copies) {
                let bytes = copy.len == 0 ? [] : Array(UnsafeBufferPointer(start: copy.data, count: copy.len))
                #expect(bytes == Array(string.utf8))
            }
        }
    }

    @Test(arguments: [0, 10, 200, 5_000])
    func repeatedFieldsOfEverySizeSurviveARoundTrip(count: Int) throws {
        let users = (0..<count).map { Postern.Password.V1.User(id: "id-\($0)", username: "user \($0)", isActive: $0 % 2 == 0) }
        let list = Postern.Password.V1.ListUsersResponse(users: users, nextPageToken: "t")
        #expect(try Postern.Password.V1.ListUsersResponse(protobuf: list.protobuf()) == list)
        let mask = (0..<count).map { "field_\($0)" }
        let update = Postern.Password.V1.UpdateUserRequest(id: "x", updateMask: mask)
        #expect(try Postern.Password.V1.UpdateUserRequest(protobuf: update.protobuf()) == update)
    }
}
