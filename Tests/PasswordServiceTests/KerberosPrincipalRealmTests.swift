import Testing

@testable import PasswordService

/// Which realm a record's principal is of, and the realm it gets when it names none.
@Suite struct KerberosPrincipalRealmTests {
    @Test func theRealmIsAfterTheLastUnescapedAtSign() {
        #expect(KerberosSourceRuntime.realm(of: "alice@EXAMPLE.COM") == "EXAMPLE.COM")
        #expect(KerberosSourceRuntime.realm(of: "alice\\@example.com@EXAMPLE.COM") == "EXAMPLE.COM")
        #expect(KerberosSourceRuntime.realm(of: "alice\\@example.com") == nil)
        #expect(KerberosSourceRuntime.realm(of: "alice") == nil)
    }

    @Test func aPrincipalWithoutARealmGetsTheSourcesNeverTheSystemDefault() {
        #expect(KerberosSourceRuntime.qualified("c.smith", realm: "EXAMPLE.COM") == "c.smith@EXAMPLE.COM")
        #expect(KerberosSourceRuntime.qualified("c.smith@OTHER.ORG", realm: "EXAMPLE.COM") == "c.smith@OTHER.ORG")
        #expect(KerberosSourceRuntime.qualified("a\\@b", realm: "EXAMPLE.COM") == "a\\@b@EXAMPLE.COM")
    }
}
