import PosternProtocol
import Testing

@Suite struct HealthCheckCodecTests {
    @Test func requestRoundTrip() throws {
        for service in ["", HealthMethods.service, "ünïcode"] {
            let request = HealthCheckRequest(service: service)
            #expect(try HealthCheckRequest(protobuf: request.protobuf()) == request)
        }
    }

    @Test func responseRoundTripAndFieldNumbers() throws {
        let response = HealthCheckResponse(status: .notServing, daemon: "postern-history", version: "0.1.0")
        #expect(try HealthCheckResponse(protobuf: response.protobuf()) == response)
        // status = 1 (varint), daemon = 2, version = 3
        #expect(HealthCheckResponse(status: .serving, daemon: "d", version: "v").protobuf()
            == [0x08, 0x01, 0x12, 0x01, 0x64, 0x1A, 0x01, 0x76])
    }

    @Test func unknownServingStatusReadsAsUnknown() throws {
        #expect(try HealthCheckResponse(protobuf: [0x08, 0x09]).status == .unknown)
    }

    @Test func garbageIsRefused() {
        #expect(throws: ProtoDecodingError.self) { try HealthCheckRequest(protobuf: [0x0A, 0x05, 0x61]) }
    }
}
