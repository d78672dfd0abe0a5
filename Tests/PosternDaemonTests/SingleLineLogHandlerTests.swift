import Logging
import PosternDaemon
import Synchronization
import Testing

/// What the daemons' log handler does to text a client may have chosen.
@Suite struct SingleLineLogHandlerTests {
    @Test func lineBreaksAndControlCharactersAreEscapedAndBackslashesDoubled() {
        #expect(SingleLineLogHandler.escaped("alice") == "alice")
        #expect(SingleLineLogHandler.escaped("a\nb\rc\u{2028}d\u{1b}[2K") == "a\\u{a}b\\u{d}c\\u{2028}d\\u{1b}[2K")
        #expect(SingleLineLogHandler.escaped("a\\u{a}") == "a\\\\u{a}", "a typed escape cannot pass for a real one")
        #expect(SingleLineLogHandler.escaped("pässwörd ✓") == "pässwörd ✓", "printable Unicode stays as it is")
    }

    /// Issue 28, finding 10: characters that change direction, hide, or have no meaning yet
    /// are written as escapes, so a log line shows what was sent.
    @Test func invisibleAndDirectionChangingCharactersAreEscaped() {
        #expect(SingleLineLogHandler.escaped("admin\u{202E}txt.exe") == "admin\\u{202e}txt.exe")
        #expect(SingleLineLogHandler.escaped("ad\u{200B}min\u{FEFF}") == "ad\\u{200b}min\\u{feff}")
        #expect(SingleLineLogHandler.escaped("a\u{E000}b\u{0378}") == "a\\u{e000}b\\u{378}", "private use and unassigned")
        #expect(SingleLineLogHandler.escapedValue("bob\u{2029}x") == "bob\\u{2029}x")
    }

    /// Issue 28, finding 5: no field makes a line longer than about a kilobyte.
    @Test func aLongValueIsCutAndSaysSo() {
        let long = String(repeating: "a", count: 1 << 20)
        #expect(SingleLineLogHandler.escapedValue(long) == "\"" + String(repeating: "a", count: 1024) + "…[1047552 more bytes]\"")
        // Cut on a character's boundary: 1023 ASCII bytes, then a 2-byte character.
        let mixed = String(repeating: "b", count: 1023) + "é" + String(repeating: "c", count: 10)
        #expect(SingleLineLogHandler.escapedValue(mixed) == "\"" + String(repeating: "b", count: 1023) + "…[12 more bytes]\"")
        #expect(SingleLineLogHandler.escapedValue(String(repeating: "d", count: 1024)) == String(repeating: "d", count: 1024))
    }

    @Test func aValueThatCouldSplitIntoFieldsIsQuoted() {
        #expect(SingleLineLogHandler.escapedValue("192.0.2.1") == "192.0.2.1")
        #expect(SingleLineLogHandler.escapedValue("a user_id=root") == "\"a user_id=root\"")
        #expect(SingleLineLogHandler.escapedValue("say \"hi\"") == "\"say \\\"hi\\\"\"")
        #expect(SingleLineLogHandler.escapedValue("") == "\"\"")
        #expect(SingleLineLogHandler.escapedValue("x\ny=1") == "\"x\\u{a}y=1\"")
    }

    /// The whole line, in swift-log's stream-handler form: time, level, label, the handler's
    /// and the event's fields in key order (the event's winning), module, message.
    @Test func aLineHasTheStreamHandlersFormWithEveryFieldEscaped() throws {
        let lines = Lines()
        var handler = SingleLineLogHandler(label: "postern-test", output: { lines.add($0) })
        handler.logLevel = .debug
        handler[metadataKey: "daemon"] = "postern-test"
        handler[metadataKey: "stage"] = "overridden"
        handler.log(event: LogEvent(
            level: .notice, message: "login_failed\nforged", metadata: ["username": "mallory x=1", "stage": "login"],
            source: "PasswordService", file: #fileID, function: #function, line: #line))
        let line = try #require(lines.all.first)
        #expect(lines.all.count == 1 && line.hasSuffix("\n"))
        let time = try #require(line.split(separator: " ").first)
        #expect(time.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}/) != nil, "\(time)")
        #expect(line.dropFirst(time.count) == #" notice postern-test: daemon=postern-test stage=login username="mallory x=1" [PasswordService] login_failed\u{a}forged"# + "\n")
    }

    /// An event's own fields with no handler fields (the path a login takes): still escaped,
    /// quoted where needed and in key order.
    @Test func anEventsOwnFieldsAloneAreEscapedAndInKeyOrder() throws {
        let lines = Lines()
        let handler = SingleLineLogHandler(label: "postern-test", output: { lines.add($0) })
        handler.log(event: LogEvent(
            level: .notice, message: "authenticated",
            metadata: ["user_id": "u1", "stage": "a b", "backend": "app_password", "client": "x\ny"],
            source: "PasswordService", file: #fileID, function: #function, line: #line))
        let line = try #require(lines.all.first)
        #expect(line.hasSuffix(#": backend=app_password client=x\u{a}y stage="a b" user_id=u1 [PasswordService] authenticated"# + "\n"), "\(line)")
    }
}

/// Lines a handler wrote, as text.
private final class Lines: Sendable {
    private let lines = Mutex<[String]>([])
    func add(_ bytes: UnsafeRawBufferPointer) { lines.withLock { $0.append(String(decoding: bytes, as: UTF8.self)) } }
    var all: [String] { lines.withLock { $0 } }
}
