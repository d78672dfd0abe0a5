import PosternProtocol
import Testing

@Suite struct StageMessagesCodecTests {
    @Test func stagesRoundTripWithTheirBackendsInOrder() throws {
        let stage = Postern.Password.V1.PasswordStage(
            name: "login", backends: [.kerberos, .internal, .ldap], failedAttemptsBeforeCancel: 3,
            allowShowPassword: true, configurationFlow: "change")
        #expect(try Postern.Password.V1.PasswordStage(protobuf: stage.protobuf()) == stage)
        #expect(try Postern.Password.V1.CreateStageRequest(protobuf: Postern.Password.V1.CreateStageRequest(stage: stage).protobuf()).stage == stage)
        #expect(try Postern.Password.V1.UpdateStageRequest(protobuf: Postern.Password.V1.UpdateStageRequest(stage: stage).protobuf()).stage == stage)
        let list = Postern.Password.V1.ListStagesResponse(stages: [stage, Postern.Password.V1.PasswordStage(name: "b", backends: []), Postern.Password.V1.PasswordStage(name: "c")])
        #expect(try Postern.Password.V1.ListStagesResponse(protobuf: list.protobuf()) == list)
        #expect(try Postern.Password.V1.ListStagesResponse(protobuf: Postern.Password.V1.ListStagesResponse(stages: []).protobuf()).stages.isEmpty)
    }

    @Test func backendsArriveUnpackedOrPackedAndAnUnknownOneIsRefused() throws {
        // backends = 2: packed [1, 3] then one unpacked 4.
        let bytes: [UInt8] = [0x0A, 0x01, 0x61, 0x12, 0x02, 0x01, 0x03, 0x10, 0x04]
        #expect(try Postern.Password.V1.PasswordStage(protobuf: bytes).backends == [.internal, .ldap, .kerberos])
        // … then one unpacked 9, which no backend is.
        let unknown: [UInt8] = [0x0A, 0x01, 0x61, 0x12, 0x02, 0x01, 0x03, 0x10, 0x09]
        #expect(throws: ProtoDecodingError(
            messageType: "postern.password.v1.PasswordStage",
            problem: "backends[2] is 9, which postern.password.v1.Backend does not list")) {
            try Postern.Password.V1.PasswordStage(protobuf: unknown)
        }
    }

    @Test func aRequestWithoutAStageHasNone() throws {
        #expect(try Postern.Password.V1.CreateStageRequest(protobuf: []).stage == nil)
    }
}
