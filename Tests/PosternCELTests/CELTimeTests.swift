import Testing

@testable import PosternCEL

/// Timestamps and durations, which the conformance data here has no file of.
@Suite struct CELTimeTests {
    static let truths = [
        "timestamp('2009-02-13T23:31:30Z') == timestamp(1234567890)",
        "int(timestamp('2009-02-13T23:31:30+01:00')) == 1234567890 - 3600",
        "string(timestamp('2009-02-13T23:31:30.120Z')) == '2009-02-13T23:31:30.120Z'",
        "string(timestamp('0001-01-01T00:00:00Z')) == '0001-01-01T00:00:00Z'",
        "timestamp('2009-02-13T23:31:30Z').getFullYear() == 2009",
        "timestamp('2009-02-13T23:31:30Z').getMonth() == 1",
        "timestamp('2009-02-13T23:31:30Z').getDate() == 13",
        "timestamp('2009-02-13T23:31:30Z').getDayOfMonth() == 12",
        "timestamp('2009-02-13T23:31:30Z').getDayOfWeek() == 5",
        "timestamp('2009-02-13T23:31:30Z').getDayOfYear() == 43",
        "timestamp('2009-02-13T23:31:30.5Z').getMilliseconds() == 500",
        "timestamp('2009-02-13T23:31:30Z').getHours('+01:00') == 0",
        "timestamp('2009-02-13T23:31:30Z').getDate('+01:00') == 14",
        "timestamp('2009-02-13T23:31:30Z').getHours('America/Los_Angeles') == 15",
        "timestamp('2009-02-13T23:31:30Z').getMinutes('05:30') == 1",
        "timestamp('1969-12-31T23:59:59Z').getDayOfWeek() == 3",
        "duration('1h30m') == duration('5400s')",
        "duration('1.5s').getMilliseconds() == 1500",
        "duration('90m').getHours() == 1",
        "duration('-1.5s') < duration('0s')",
        "string(duration('1h')) == '3600s'",
        "string(duration('1.25s')) == '1.250s'",
        "timestamp('2009-02-13T23:31:30Z') + duration('1h') == timestamp('2009-02-14T00:31:30Z')",
        "duration('1h') + timestamp('2009-02-13T23:31:30Z') == timestamp('2009-02-14T00:31:30Z')",
        "timestamp('2009-02-14T00:00:00Z') - timestamp('2009-02-13T00:00:00Z') == duration('24h')",
        "timestamp('2009-02-14T00:00:00Z') - duration('1ns') < timestamp('2009-02-14T00:00:00Z')",
        "-duration('1s') == duration('-1s')",
        "type(duration('1s')) == google.protobuf.Duration && type(timestamp(0)) == google.protobuf.Timestamp",
        "timestamp('2024-02-29T00:00:00Z').getDayOfYear() == 59",
    ]

    @Test(arguments: truths)
    func holds(_ expression: String) throws {
        let value = try CELProgram(expression).evaluate([:])
        #expect(same(value, .bool(true)), "\(expression) gave \(value)")
    }

    static let errors = [
        "timestamp('9999-12-31T23:59:59Z') + duration('1s')",
        "timestamp('2009-02-30T00:00:00Z')",
        "timestamp('2009-02-13 23:31:30Z')",
        "timestamp('2009-02-13T23:31:30')",
        "duration('1x')",
        "duration('1')",
        "duration('400000000000s')",
        "timestamp(0).getHours('Mars/Olympus_Mons')",
        "timestamp(0) + timestamp(0)",
        "duration('1s') < 1",
    ]

    @Test(arguments: errors)
    func fails(_ expression: String) throws {
        let program = try CELProgram(expression)
        #expect(throws: CELError.self, "\(expression)") { _ = try program.evaluate([:]) }
    }
}
