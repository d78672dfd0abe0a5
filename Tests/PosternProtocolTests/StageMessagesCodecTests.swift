import PosternProtocol
import Testing

@Suite struct StageMessagesCodecTests {
    @Test func stagesRoundTripWithTheirBackendsInOrder() throws {
        let stage = PasswordStage(
            name: "login", backends: [.kerberos, .internal, .ldap], failedAttemptsBeforeCancel: 3,
            allowShowPassword: true, configurationFlow: "change")
        #expect(try PasswordStage(protobuf: stage.protobuf()) == stage)
        #expect(try CreateStageRequest(protobuf: CreateStageRequest(stage: stage).protobuf()).stage == stage)
        #expect(try UpdateStageRequest(protobuf: UpdateStageRequest(stage: stage).protobuf()).stage == stage)
        let list = ListStagesResponse(stages: [stage, PasswordStage(name: "b", backends: []), PasswordStage(name: "c")])
        #expect(try ListStagesResponse(protobuf: list.protobuf()) == list)
        #expect(try ListStagesResponse(protobuf: ListStagesResponse(stages: []).protobuf()).stages.isEmpty)
    }

    @Test func backendsArriveUnpackedOrPackedAndUnknownOnesReadAsUnspecified() throws {
        // backends = 2: packed [1, 3] then one unpacked 9.
        let bytes: [UInt8] = [0x0A, 0x01, 0x61, 0x12, 0x02, 0x01, 0x03, 0x10, 0x09]
        #expect(try PasswordStage(protobuf: bytes).backends == [.internal, .ldap, .unspecified])
    }

    @Test func aRequestWithoutAStageReadsAsAStageWithoutAName() throws {
        #expect(try CreateStageRequest(protobuf: []).stage == PasswordStage(name: "", backends: []))
    }
}
