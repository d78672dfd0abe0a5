import Foundation

/// A point in time (google.protobuf.Timestamp): seconds since the Unix epoch and nanoseconds,
/// within 0001-01-01T00:00:00Z … 9999-12-31T23:59:59.999999999Z; past that range is an error.
public struct CELTimestamp: Sendable, Hashable, Comparable {
    public static let minimumSeconds: Int64 = -62_135_596_800
    public static let maximumSeconds: Int64 = 253_402_300_799

    public let seconds: Int64
    public let nanos: Int32

    public init(seconds: Int64, nanos: Int32 = 0) throws(CELError) {
        guard seconds >= Self.minimumSeconds, seconds <= Self.maximumSeconds, (0..<1_000_000_000).contains(nanos) else {
            throw CELError("timestamp out of range")
        }
        self.seconds = seconds
        self.nanos = nanos
    }

    public static func < (a: CELTimestamp, b: CELTimestamp) -> Bool { (a.seconds, a.nanos) < (b.seconds, b.nanos) }

    /// RFC 3339: `2004-09-16T23:59:59Z`, `2004-09-16T23:59:59.123+02:00`.
    init(parsing text: String) throws(CELError) {
        let scalars = Array(text.utf8)
        func digits(_ start: Int, _ count: Int) -> Int64? {
            guard start + count <= scalars.count else { return nil }
            var value: Int64 = 0
            for byte in scalars[start..<(start + count)] {
                guard (0x30...0x39).contains(byte) else { return nil }
                value = value * 10 + Int64(byte - 0x30)
            }
            return value
        }
        func at(_ index: Int, _ byte: UInt8) -> Bool { index < scalars.count && (scalars[index] == byte) }
        guard let year = digits(0, 4), at(4, 0x2D), let month = digits(5, 2), at(7, 0x2D), let day = digits(8, 2),
              at(10, 0x54) || at(10, 0x74), let hour = digits(11, 2), at(13, 0x3A), let minute = digits(14, 2), at(16, 0x3A),
              let second = digits(17, 2), (1...12).contains(month), day >= 1, day <= CELCalendar.daysIn(month: month, year: year),
              hour < 24, minute < 60, second < 60
        else { throw CELError("timestamp \"\(text.prefix(40))\" is not RFC 3339") }
        var index = 19
        var nanos: Int64 = 0
        if at(index, 0x2E) {
            index += 1
            var count = 0
            while index < scalars.count, (0x30...0x39).contains(scalars[index]) {
                guard count < 9 else { throw CELError("timestamp \"\(text.prefix(40))\" has more than 9 fractional digits") }
                nanos = nanos * 10 + Int64(scalars[index] - 0x30)
                count += 1
                index += 1
            }
            guard count > 0 else { throw CELError("timestamp \"\(text.prefix(40))\" is not RFC 3339") }
            for _ in count..<9 { nanos *= 10 }
        }
        var offset: Int64 = 0
        if at(index, 0x5A) || at(index, 0x7A) {
            index += 1
        } else if at(index, 0x2B) || at(index, 0x2D) {
            let sign: Int64 = at(index, 0x2D) ? -1 : 1
            guard let hours = digits(index + 1, 2), at(index + 3, 0x3A), let minutes = digits(index + 4, 2), hours < 24, minutes < 60 else {
                throw CELError("timestamp \"\(text.prefix(40))\" has a bad offset")
            }
            offset = sign * (hours * 3600 + minutes * 60)
            index += 6
        } else {
            throw CELError("timestamp \"\(text.prefix(40))\" has no time zone (Z or ±hh:mm)")
        }
        guard index == scalars.count else { throw CELError("timestamp \"\(text.prefix(40))\" is not RFC 3339") }
        let days = CELCalendar.days(fromCivil: year, month, day)
        try self.init(seconds: days * 86400 + hour * 3600 + minute * 60 + second - offset, nanos: Int32(nanos))
    }

    /// RFC 3339 in UTC, with as many fractional digits as needed (0, 3, 6 or 9).
    public var text: String {
        let days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400
        let rest = seconds - days * 86400
        let (year, month, day) = CELCalendar.civil(fromDays: days)
        var out = String(format: "%04lld-%02lld-%02lldT%02lld:%02lld:%02lld", year, month, day, rest / 3600, rest / 60 % 60, rest % 60)
        out += CELDuration.fraction(nanos)
        return out + "Z"
    }
}

/// A span of time (google.protobuf.Duration): within ±315,576,000,000 s (10,000 years).
public struct CELDuration: Sendable, Hashable, Comparable {
    public static let maximumSeconds: Int64 = 315_576_000_000

    /// The whole length in nanoseconds would overflow Int64 past 292 years, so seconds and nanos
    /// are kept apart; nanos has the sign of seconds.
    public let seconds: Int64
    public let nanos: Int32

    public init(seconds: Int64, nanos: Int32 = 0) throws(CELError) {
        var seconds = seconds
        var nanos = Int64(nanos)
        seconds += nanos / 1_000_000_000
        nanos %= 1_000_000_000
        if seconds > 0, nanos < 0 {
            seconds -= 1
            nanos += 1_000_000_000
        } else if seconds < 0, nanos > 0 {
            seconds += 1
            nanos -= 1_000_000_000
        }
        guard abs(seconds) <= Self.maximumSeconds else { throw CELError("duration out of range") }
        self.seconds = seconds
        self.nanos = Int32(nanos)
    }

    public static func < (a: CELDuration, b: CELDuration) -> Bool { (a.seconds, a.nanos) < (b.seconds, b.nanos) }

    /// Go's duration syntax, as CEL uses it: `1h30m`, `-1.5s`, `300ms`, `2us`, `0s`.
    init(parsing text: String) throws(CELError) {
        var scalars = Substring(text)
        var negative = false
        if scalars.first == "-" || scalars.first == "+" {
            negative = scalars.first == "-"
            scalars = scalars.dropFirst()
        }
        guard !scalars.isEmpty else { throw CELError("duration \"\(text.prefix(40))\" is empty") }
        if scalars == "0" {
            try self.init(seconds: 0)
            return
        }
        var totalNanos: Decimal = 0
        while !scalars.isEmpty {
            let number = scalars.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !number.isEmpty, let value = Decimal(string: String(number)) else {
                throw CELError("duration \"\(text.prefix(40))\" is not a duration (such as 1h30m or 1.5s)")
            }
            scalars = scalars.dropFirst(number.count)
            let unit = scalars.prefix { $0.isLetter || $0 == "µ" }
            scalars = scalars.dropFirst(unit.count)
            let scale: Decimal
            switch unit {
            case "h": scale = 3_600_000_000_000
            case "m": scale = 60_000_000_000
            case "s": scale = 1_000_000_000
            case "ms": scale = 1_000_000
            case "us", "µs": scale = 1000
            case "ns": scale = 1
            default: throw CELError("duration \"\(text.prefix(40))\" has no unit (h, m, s, ms, us, ns) after a number")
            }
            totalNanos += value * scale
            guard totalNanos <= Decimal(Self.maximumSeconds) * 1_000_000_000 else { throw CELError("duration out of range") }
        }
        var wholeNanos = Decimal()
        var rounding = totalNanos
        NSDecimalRound(&wholeNanos, &rounding, 0, .down)
        let seconds = (wholeNanos / 1_000_000_000 as NSDecimalNumber).int64Value
        let nanos = Int32((wholeNanos - Decimal(seconds) * 1_000_000_000 as NSDecimalNumber).int64Value)
        try self.init(seconds: negative ? -seconds : seconds, nanos: negative ? -nanos : nanos)
    }

    /// `3600s`, `1.5s`, `-0.000000001s`.
    public var text: String {
        if seconds == 0, nanos < 0 { return "-0" + Self.fraction(-nanos) + "s" }
        return "\(seconds)" + Self.fraction(abs(nanos)) + "s"
    }

    /// `.123`, `.123456`, `.123456789` or nothing.
    static func fraction(_ nanos: Int32) -> String {
        guard nanos != 0 else { return "" }
        if nanos % 1_000_000 == 0 { return String(format: ".%03d", nanos / 1_000_000) }
        if nanos % 1000 == 0 { return String(format: ".%06d", nanos / 1000) }
        return String(format: ".%09d", nanos)
    }
}

/// Proleptic Gregorian date arithmetic (Howard Hinnant's days-from-civil).
enum CELCalendar {
    static func isLeap(_ year: Int64) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    static func days(fromCivil year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }
}
