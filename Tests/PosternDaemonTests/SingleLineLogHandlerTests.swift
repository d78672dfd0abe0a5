import PosternDaemon
import Testing

/// What the daemons' log handler does to text a client may have chosen.
@Suite struct SingleLineLogHandlerTests {
    @Test func lineBreaksAndControlCharactersAreEscapedAndBackslashesDoubled() {
        #expect(SingleLineLogHandler.escaped("alice") == "alice")
        #expect(SingleLineLogHandler.escaped("a\nb\rc\u{2028}d\u{1b}[2K") == "a\\u{a}b\\u{d}c\\u{2028}d\\u{1b}[2K")
        #expect(SingleLineLogHandler.escaped("a\\u{a}") == "a\\\\u{a}", "a typed escape cannot pass for a real one")
        #expect(SingleLineLogHandler.escaped("pässwörd ✓") == "pässwörd ✓", "printable Unicode stays as it is")
    }

    @Test func aValueThatCouldSplitIntoFieldsIsQuoted() {
        #expect(SingleLineLogHandler.escapedValue("192.0.2.1") == "192.0.2.1")
        #expect(SingleLineLogHandler.escapedValue("a user_id=root") == "\"a user_id=root\"")
        #expect(SingleLineLogHandler.escapedValue("say \"hi\"") == "\"say \\\"hi\\\"\"")
        #expect(SingleLineLogHandler.escapedValue("") == "\"\"")
        #expect(SingleLineLogHandler.escapedValue("x\ny=1") == "\"x\\u{a}y=1\"")
    }
}
