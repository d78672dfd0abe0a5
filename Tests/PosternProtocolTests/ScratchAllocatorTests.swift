import PosternProtocol
import Testing

/// Decoding takes protobuf-c's memory from a stack buffer first and the heap after it:
/// messages on both sides of that line, and one straddling it, must decode whole.
@Suite struct ScratchAllocatorTests {
    @Test(arguments: [0, 100, 900, 1100, 70_000])
    func envelopesOfEverySizeSurviveARoundTrip(payloadBytes: Int) throws {
        let original = Envelope(
            callID: UInt64(payloadBytes) + 1, method: "/postern.test.v1.Scratch/Size",
            timeoutMs: 5,
            metadata: (0..<(payloadBytes / 50)).map { .init(key: "key-\($0)", value: String(repeating: "v", count: $0 % 40)) },
            payload: (0..<payloadBytes).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        #expect(try Envelope(protobuf: original.protobuf()) == original)
    }

    @Test func aRefusedDecodeLeavesTheNextOneWhole() throws {
        // A truncated message bigger than the stack buffer is refused, and frees what it took.
        let big = Envelope(callID: 9, method: "/a.B/C", payload: [UInt8](repeating: 7, count: 4000)).protobuf()
        #expect(throws: ProtoDecodingError.self) { try Envelope(protobuf: Array(big.dropLast(10))) }
        let small = Envelope(callID: 10, method: "/a.B/D", payload: [1, 2, 3])
        #expect(try Envelope(protobuf: small.protobuf()) == small)
    }
}
