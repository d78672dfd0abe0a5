import Foundation
import Testing

@testable import PosternKerberos

/// What needs no KDC: principals made from usernames, names libkrb5 refuses, and a realm whose
/// KDC does not answer, from a configuration held in memory.
@Suite struct KerberosClientTests {
    static let realm = KerberosRealm(realm: "POSTERN.TEST", kdcs: ["127.0.0.1:1"])

    @Test func aUsernameIsOneComponentNeverSplitAtAnAtSign() throws {
        let client = try KerberosClient(Self.realm)
        #expect(try client.principalName(username: "alice") == "alice@POSTERN.TEST")
        #expect(try client.principalName(username: "alice@example.com") == "alice\\@example.com@POSTERN.TEST")
        #expect(try client.principalName(username: "svc/host") == "svc\\/host@POSTERN.TEST")
    }

    @Test func malformedPrincipalsAreRefusedWithTheField() throws {
        let client = try KerberosClient(Self.realm)
        #expect(throws: KerberosError.self) { try client.checkName("a@b@c", field: "service_principal") }
        do {
            try client.checkName("", field: "admin_principal")
            Issue.record("an empty name was taken")
        } catch {
            #expect(error.kind == .badRequest && error.message.hasPrefix("admin_principal: "))
        }
        try client.checkName("host/idp.example.com@POSTERN.TEST", field: "service_principal")
    }

    @Test func aRealmWhoseKDCRefusesConnectionsIsUnreachableAtOnce() throws {
        let client = try KerberosClient(Self.realm)
        let started = Date()
        do {
            try client.checkPassword(principal: "alice@POSTERN.TEST", password: Array("pw".utf8), verification: nil)
            Issue.record("a password was accepted with no KDC")
        } catch {
            #expect(error.kind == .unreachable, "\(error)")
        }
        #expect(Date().timeIntervalSince(started) < 2, "TCP only: a refused connection fails at once")
    }

    @Test func anEmptyPasswordOrOneWithNULIsNeverSent() throws {
        let client = try KerberosClient(Self.realm)
        for password in [[], Array("a\0b".utf8)] as [[UInt8]] {
            #expect(throws: KerberosError(.wrongPassword, code: 0, message: "an empty password or one holding NUL is never sent")) {
                try client.checkPassword(principal: "alice@POSTERN.TEST", password: password, verification: nil)
            }
        }
    }
}
