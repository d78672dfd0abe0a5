import PosternProtocol
import Testing

/// Every field marked `[(postern.v1.secret) = true]` is masked in its message's description
/// and debug description, and every other string field shows (so the check can fail).
@Suite struct SecretDescriptionTests {
    /// One length-delimited field.
    static func field(_ number: Int32, _ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var tag = UInt64(number) << 3 | 2
        while tag >= 0x80 { bytes.append(UInt8(tag & 0x7F) | 0x80); tag >>= 7 }
        bytes.append(UInt8(tag))
        let utf8 = Array(text.utf8)
        precondition(utf8.count < 0x80)
        return bytes + [UInt8(utf8.count)] + utf8
    }

    static func marker(_ type: any ProtoMessage.Type, _ field: ProtoField) -> String {
        "MARK-\(type.protoName)-\(field.name)"
    }

    @Test(arguments: Postern.messageTypes.map { $0 as any ProtoMessage.Type })
    func secretsAreMaskedAndTheRestShows(type: any ProtoMessage.Type) throws {
        let strings = type.fields.filter { $0.kind == .string }
        let bytes = strings.flatMap { Self.field($0.number, Self.marker(type, $0)) }
        let message = try type.init(protobuf: bytes)
        for text in [String(describing: message), String(reflecting: message)] {
            for field in strings {
                #expect(text.contains(Self.marker(type, field)) == !field.isSecret, "\(type.protoName).\(field.name): \(text)")
            }
        }
    }

    @Test func theSchemaMarksTheSecretsWeKnowOf() {
        let secrets = Postern.messageTypes.flatMap { type in
            type.fields.filter(\.isSecret).map { "\(type.protoName).\($0.name)" }
        }
        #expect(Set(secrets) == [
            "postern.history.v1.CheckRequest.password", "postern.history.v1.RecordRequest.password",
            "postern.history.v1.LegacyEntry.encoded", "postern.password.v1.AuthenticateRequest.secret",
            "postern.password.v1.SetPasswordRequest.password", "postern.password.v1.ChangePasswordRequest.current_password",
            "postern.password.v1.ChangePasswordRequest.new_password", "postern.password.v1.CreateAppPasswordResponse.secret",
            "postern.password.v1.ViewAppPasswordResponse.secret", "postern.password.v1.CreateServiceAccountResponse.secret",
            "postern.password.v1.ImportedUser.password_hash",
            // Reservations: each lets its holder record one password's history digest.
            "postern.history.v1.CheckResponse.reservation", "postern.history.v1.RecordRequest.reservation",
            "postern.password.v1.SetPasswordRequest.history_reservation",
            "postern.password.v1.ChangePasswordRequest.history_reservation", "postern.policy.v1.HistoryReservation.reservation",
        ])
    }

    @Test func aSecretInsideARepeatedMessageStaysMasked() {
        let request = Postern.Password.V1.ImportUsersRequest(users: [
            Postern.Password.V1.ImportedUser(username: "alice", passwordHash: "argon2-HASH-TEXT"),
        ])
        let legacy = Postern.History.V1.ImportLegacyRequest(entries: [.init(userID: "u", encoded: "pbkdf2-HASH-TEXT")])
        for text in ["\(request)", String(reflecting: request), "\([request])", "\(legacy)", String(reflecting: legacy)] {
            #expect(!text.contains("HASH-TEXT"), "\(text)")
        }
        #expect("\(request)".contains("alice"))
    }
}
