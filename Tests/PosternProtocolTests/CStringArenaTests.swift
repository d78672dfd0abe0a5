@testable import PosternProtocol
import Testing

/// The arena hands out C strings for protobuf-c; each must stay intact until the arena goes,
/// across block boundaries and for strings longer than a block.
@Suite struct CStringArenaTests {
    @Test func everyCopyStaysIntactWhileTheArenaLives() {
        var arena = CStringArena()
        var strings = ["", "a", "é✓ unicode", String(repeating: "x", count: 511), ""]
        strings += (0..<200).map { "string number \($0) " + String(repeating: "y", count: $0 * 7) }
        strings.append(String(repeating: "z", count: 5000))  // longer than a block
        let pointers = strings.map { arena.copy($0) }
        for (string, pointer) in zip(strings, pointers) {
            #expect(String(cString: pointer) == string)
        }
    }

    @Test func emptyStringsShareOneUnwrittenNul() {
        var arena = CStringArena()
        let first = arena.copy("")
        let second = arena.copy("")
        #expect(first == second)
        #expect(first.pointee == 0)
    }
}
