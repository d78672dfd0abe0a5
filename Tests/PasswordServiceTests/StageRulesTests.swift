import Foundation
import PosternProtocol
import Testing

@testable import PasswordService

/// How a stored stage's backend list reads back: the order a login tries them in.
@Suite struct StageRulesTests {
    @Test func aStoredListReadsBackInItsOrder() throws {
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        for backends: [Postern.Password.V1.Backend] in [[.internal], [.appPassword], [.internal, .appPassword], [.appPassword, .internal]] {
            let row = try StageRules.row(Postern.Password.V1.PasswordStage(name: "s", backends: backends), now: now)
            #expect(StageRules.backends(row.backends) == backends, "\(row.backends)")
            #expect(StageRules.message(row).backends == backends)
        }
    }

    @Test func anUnknownNameReadsAsUnspecifiedAndAnEmptyListAsNone() {
        #expect(StageRules.backends("internal,radius,app_password") == [.internal, .unspecified, .appPassword])
        #expect(StageRules.backends("ldap") == [.ldap])
        #expect(StageRules.backends("") == [])
        #expect(StageRules.backends("unspecified") == [.unspecified])
    }

    /// `Backend(name:)` spells its names out once more: each must read back as its backend.
    @Test func everyBackendsNameReadsBackAsThatBackend() {
        for backend in Postern.Password.V1.Backend.allCases {
            #expect(Postern.Password.V1.Backend(name: backend.name) == backend, "\(backend.name)")
        }
        #expect(Postern.Password.V1.Backend.unspecified.name == "unspecified")
        #expect(Postern.Password.V1.Backend(name: "Internal") == nil)
    }
}
