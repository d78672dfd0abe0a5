import PosternLDAP
import Testing

@testable import PasswordService

/// What sync makes of the entries a search found: users' fields, or a reason to skip.
@Suite struct LDAPSyncEntriesTests {
    static let settings = LDAPSourceSettings(
        name: "corp", enabled: true, uris: ["ldap://127.0.0.1"], startTLS: false, caFile: nil, insecureSkipVerify: false,
        connectTimeoutMilliseconds: 2000, timeoutMilliseconds: 5000, userDN: .record, bindDN: "cn=s", bindPasswordFile: "/f",
        searchBase: "dc=example", searchFilter: nil, updateInternalPassword: false, passwordWriteback: false, poolSize: 4,
        queueLimit: 64, syncFilter: "(objectClass=inetOrgPerson)", usernameAttribute: "uid", nameAttribute: "cn",
        uniqueAttribute: "entryUUID")

    @Test func entriesBecomeUsersOrAreSkippedWithTheReason() {
        let found = [
            LDAPEntry(dn: "uid=ada,dc=example", attributes: ["uid": ["ada"], "cn": ["Ada"], "entryuuid": ["1"]]),
            LDAPEntry(dn: "uid=nouuid,dc=example", attributes: ["uid": ["nouuid"]]),
            LDAPEntry(dn: "cn=nouid,dc=example", attributes: ["entryuuid": ["2"]]),
            LDAPEntry(dn: "uid=twin,dc=example", attributes: ["uid": ["twin"], "entryuuid": ["1"]]),
            LDAPEntry(dn: "uid=bad,dc=example", attributes: ["uid": ["bad\u{202E}name"], "entryuuid": ["3"]]),
            LDAPEntry(dn: "uid=noname,dc=example", attributes: ["uid": ["noname"], "entryuuid": ["4"]]),
            LDAPEntry(dn: "uid=latin1,dc=example", attributes: ["uid": ["latin1"], "entryuuid": ["5"], "cn": []], undecodable: ["cn"]),
        ]
        let (entries, skipped) = LDAPSync.entries(found, settings: Self.settings)
        #expect(entries == [
            LDAPSync.Entry(uniqueID: "1", username: "ada", name: "Ada", dn: "uid=ada,dc=example"),
            LDAPSync.Entry(uniqueID: "4", username: "noname", name: "", dn: "uid=noname,dc=example"),
        ])
        #expect(skipped.count == 5)
        #expect(skipped[0] == "uid=nouuid,dc=example: no entryUUID")
        #expect(skipped[1] == "cn=nouid,dc=example: no uid")
        #expect(skipped[2].hasPrefix("uid=twin,dc=example: entryUUID 1 is another entry's too"))
        #expect(skipped[3].hasPrefix("uid=bad,dc=example: username contains an invisible formatting character"))
        #expect(skipped[4] == "uid=latin1,dc=example: cn is not UTF-8 text", "not an empty name")
    }
}
