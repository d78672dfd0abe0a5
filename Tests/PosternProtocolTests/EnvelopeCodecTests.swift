import PosternProtocol
import Testing

@Suite struct EnvelopeCodecTests {
    @Test func everyFieldSurvivesARoundTrip() throws {
        let envelope = Envelope(
            callID: 0xFFFF_FFFF_FFFF_FFFE,
            method: "/postern.health.v1.Health/Check",
            timeoutMs: 2_500,
            metadata: [.init(key: "trace-id", value: "abc"), .init(key: "trace-id", value: "é✓")],
            payload: [0, 1, 2, 0xFF],
            statusCode: StatusCode.resourceExhausted.rawValue,
            statusMessage: "frame of 9 bytes exceeds the limit of 8 bytes")
        let decoded = try Envelope(protobuf: envelope.protobuf())
        #expect(decoded == envelope)
    }

    @Test func emptyEnvelopeEncodesToNothingAndBack() throws {
        let empty = Envelope(callID: 0)
        #expect(empty.protobuf() == [])
        #expect(try Envelope(protobuf: []) == empty)
    }

    /// Field numbers are the protocol: a client in another language builds these bytes by hand.
    @Test func fieldNumbersMatchWireProto() throws {
        let bytes: [UInt8] = [
            0x08, 0x07,                          // 1 call_id = 7
            0x12, 0x02, 0x2F, 0x61,              // 2 method = "/a"
            0x18, 0x64,                          // 3 timeout_ms = 100
            0x22, 0x06, 0x0A, 0x01, 0x6B, 0x12, 0x01, 0x76,  // 4 metadata {key "k", value "v"}
            0x2A, 0x01, 0x09,                    // 5 payload = [9]
            0x30, 0x0C,                          // 6 status_code = 12
            0x3A, 0x01, 0x78,                    // 7 status_message = "x"
        ]
        let expected = Envelope(
            callID: 7, method: "/a", timeoutMs: 100, metadata: [.init(key: "k", value: "v")],
            payload: [9], statusCode: StatusCode.unimplemented.rawValue, statusMessage: "x")
        #expect(try Envelope(protobuf: bytes) == expected)
        #expect(expected.protobuf() == bytes)
    }

    @Test func truncatedBytesAreRefused() {
        let bytes = Envelope(callID: 1, method: "/postern.health.v1.Health/Check").protobuf()
        #expect(throws: ProtoDecodingError(messageType: "postern.wire.v1.Envelope", problem: "not valid protobuf")) {
            try Envelope(protobuf: Array(bytes.dropLast()))
        }
    }

    /// Invalid UTF-8 of every kind is refused, and valid text of every width (including
    /// U+FFFD itself, which repairing would produce) decodes as it is.
    @Test(arguments: [[0xC3, 0x28], [0xFF], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0x61, 0xE2, 0x82]] as [[UInt8]])
    func everyKindOfInvalidUTF8IsRefused(bytes: [UInt8]) {
        #expect(throws: ProtoDecodingError.self) {
            try Envelope(protobuf: [0x12, UInt8(bytes.count)] + bytes)
        }
    }

    @Test func validTextOfEveryWidthDecodesAsItIs() throws {
        for text in ["a", "é", "✓", "\u{FFFD}", "\u{1F511}", "a\u{FFFD}b✓é\u{10FFFF}", "\u{FEFF}byte order mark", "e\u{301}"] {
            let bytes = Array(text.utf8)
            #expect(try Envelope(protobuf: [0x12, UInt8(bytes.count)] + bytes).method == text)
        }
    }

    @Test func invalidUTF8InMethodIsRefused() {
        let bytes: [UInt8] = [0x08, 0x01, 0x12, 0x02, 0xC3, 0x28]
        #expect(throws: ProtoDecodingError(messageType: "postern.wire.v1.Envelope", problem: "method is not valid UTF-8")) {
            try Envelope(protobuf: bytes)
        }
    }

    @Test func encodeWritesExactlyTheAnnouncedSize() {
        let envelope = Envelope.request(callID: 3, method: "/x.y/Z", payload: Array(repeating: 7, count: 300))
        var encoded: (Int, Int, [UInt8]) = (0, -1, [])
        envelope.encode { size, pack in
            var buffer = [UInt8](repeating: 0xEE, count: size + 8)
            let written = buffer.withUnsafeMutableBytes { pack($0.baseAddress!) }
            encoded = (size, written, Array(buffer[size...]))
        }
        #expect(encoded.0 == encoded.1)
        #expect(encoded.2 == Array(repeating: 0xEE, count: 8))
    }
}
