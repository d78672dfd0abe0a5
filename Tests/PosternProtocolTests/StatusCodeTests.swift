import PosternProtocol
import Testing

@Suite struct StatusCodeTests {
    /// The numbers are gRPC's; a client in any language relies on them (docs/wire.md).
    @Test func numbersMatchGRPCCanonicalCodes() {
        let expected: [(StatusCode, Int32, String)] = [
            (.ok, 0, "OK"), (.cancelled, 1, "CANCELLED"), (.unknown, 2, "UNKNOWN"),
            (.invalidArgument, 3, "INVALID_ARGUMENT"), (.deadlineExceeded, 4, "DEADLINE_EXCEEDED"),
            (.notFound, 5, "NOT_FOUND"), (.alreadyExists, 6, "ALREADY_EXISTS"),
            (.permissionDenied, 7, "PERMISSION_DENIED"), (.resourceExhausted, 8, "RESOURCE_EXHAUSTED"),
            (.failedPrecondition, 9, "FAILED_PRECONDITION"), (.aborted, 10, "ABORTED"),
            (.outOfRange, 11, "OUT_OF_RANGE"), (.unimplemented, 12, "UNIMPLEMENTED"),
            (.internal, 13, "INTERNAL"), (.unavailable, 14, "UNAVAILABLE"),
            (.dataLoss, 15, "DATA_LOSS"), (.unauthenticated, 16, "UNAUTHENTICATED"),
        ]
        #expect(expected.count == StatusCode.allKnown.count)
        for (code, number, name) in expected {
            #expect(code.rawValue == number)
            #expect(code.name == name)
            #expect(StatusCode(name: name.lowercased()) == code)
        }
    }

    @Test func unknownNumbersAreKeptNotRefused() {
        let future = StatusCode(rawValue: 42)
        #expect(future.name == "CODE_42")
        #expect(!StatusCode.allKnown.contains(future))
        #expect(StatusCode(name: "NOT_A_CODE") == nil)
    }
}
