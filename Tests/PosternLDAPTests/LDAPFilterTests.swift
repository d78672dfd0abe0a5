import Testing

@testable import PosternLDAP

@Suite struct LDAPFilterTests {
    @Test func escapesTheFiveCharactersOfRFC4515() {
        #expect(LDAPFilter.escape("*)(uid=*") == "\\2a\\29\\28uid=\\2a")
        #expect(LDAPFilter.escape("admin)(|(uid=*") == "admin\\29\\28|\\28uid=\\2a")
        #expect(LDAPFilter.escape("a\\b\0c") == "a\\5cb\\00c")
        #expect(LDAPFilter.escape("zoë") == "zoë")
    }

    @Test func fillsEveryPlaceholder() {
        let filter = LDAPFilter.filling("(|(uid={username})(mail={username}))", username: "*")
        #expect(filter == "(|(uid=\\2a)(mail=\\2a))")
    }

    @Test func refusesTemplatesThatAreNotOneFilter() {
        #expect(LDAPFilter.problem(inTemplate: "(uid={username})") == nil)
        #expect(LDAPFilter.problem(inTemplate: "(&(objectClass=person)(uid={username}))") == nil)
        #expect(LDAPFilter.problem(inTemplate: "uid={username}") != nil)
        #expect(LDAPFilter.problem(inTemplate: "(uid=alice)") != nil)
        #expect(LDAPFilter.problem(inTemplate: "((uid={username})") != nil)
        #expect(LDAPFilter.problem(inTemplate: "(uid={username}))(") != nil)
        #expect(LDAPFilter.problem(inTemplate: "(cn=a\\29{username})") == nil)
    }
}
