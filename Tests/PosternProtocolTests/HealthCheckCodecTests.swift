import PosternProtocol
import Testing

@Suite struct HealthCheckCodecTests {
    @Test func requestRoundTrip() throws {
        for service in ["", Postern.Health.V1.Health.serviceName, "ünïcode"] {
            let request = Postern.Health.V1.HealthCheckRequest(service: service)
            #expect(try Postern.Health.V1.HealthCheckRequest(protobuf: request.protobuf()) == request)
        }
    }

    @Test func responseRoundTripAndFieldNumbers() throws {
        let response = Postern.Health.V1.HealthCheckResponse(status: .notServing, daemon: "postern-history", version: "0.1.0")
        #expect(try Postern.Health.V1.HealthCheckResponse(protobuf: response.protobuf()) == response)
        // status = 1 (varint), daemon = 2, version = 3
        #expect(Postern.Health.V1.HealthCheckResponse(status: .serving, daemon: "d", version: "v").protobuf()
            == [0x08, 0x01, 0x12, 0x01, 0x64, 0x1A, 0x01, 0x76])
    }

    /// A status the schema does not list is refused, never read as another one.
    @Test func anUnknownServingStatusIsRefused() {
        #expect(throws: ProtoDecodingError(
            messageType: "postern.health.v1.HealthCheckResponse",
            problem: "status is 9, which postern.health.v1.HealthCheckResponse.ServingStatus does not list")) {
            try Postern.Health.V1.HealthCheckResponse(protobuf: [0x08, 0x09])
        }
    }

    @Test func garbageIsRefused() {
        #expect(throws: ProtoDecodingError.self) { try Postern.Health.V1.HealthCheckRequest(protobuf: [0x0A, 0x05, 0x61]) }
    }
}
