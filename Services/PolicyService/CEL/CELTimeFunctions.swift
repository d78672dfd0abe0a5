import Foundation

/// Timestamps and durations (langdef "Timestamp and Duration"): construction, arithmetic,
/// and the accessors `getFullYear()` … `getMilliseconds()`, with an optional time zone (`"UTC"`,
/// an IANA name such as `"Europe/Paris"`, or a fixed offset `"+05:30"`).
enum CELTimeFunctions {
    static let accessors: Set<String> = [
        "getFullYear", "getMonth", "getDate", "getDayOfMonth", "getDayOfWeek", "getDayOfYear", "getHours", "getMinutes",
        "getSeconds", "getMilliseconds",
    ]

    static func timestamp(_ value: CELValue) throws(CELError) -> CELValue {
        switch value {
        case .timestamp: return value
        case .string(let text): return .timestamp(try CELTimestamp(parsing: text))
        case .int(let seconds): return .timestamp(try CELTimestamp(seconds: seconds))
        default: throw CELError.noOverload("timestamp", [value])
        }
    }

    static func duration(_ value: CELValue) throws(CELError) -> CELValue {
        switch value {
        case .duration: return value
        case .string(let text): return .duration(try CELDuration(parsing: text))
        case .int(let seconds): return .duration(try CELDuration(seconds: seconds))
        default: throw CELError.noOverload("duration", [value])
        }
    }

    static func add(_ t: CELTimestamp, _ d: CELDuration) throws(CELError) -> CELTimestamp {
        let (seconds, overflow) = t.seconds.addingReportingOverflow(d.seconds)
        guard !overflow else { throw CELError("timestamp out of range") }
        var nanos = Int64(t.nanos) + Int64(d.nanos)
        var whole = seconds
        if nanos >= 1_000_000_000 { whole += 1; nanos -= 1_000_000_000 }
        if nanos < 0 { whole -= 1; nanos += 1_000_000_000 }
        return try CELTimestamp(seconds: whole, nanos: Int32(nanos))
    }

    static func add(_ a: CELDuration, _ b: CELDuration) throws(CELError) -> CELDuration {
        try CELDuration(seconds: a.seconds + b.seconds, nanos: a.nanos + b.nanos)
    }

    static func negate(_ d: CELDuration) throws(CELError) -> CELDuration { try CELDuration(seconds: -d.seconds, nanos: -d.nanos) }

    static func difference(_ a: CELTimestamp, _ b: CELTimestamp) throws(CELError) -> CELDuration {
        try CELDuration(seconds: a.seconds - b.seconds, nanos: a.nanos - b.nanos)
    }

    /// `t.getFullYear()`, `d.getHours()`, …: `arguments[0]` is the receiver, `arguments[1]` an
    /// optional time zone (timestamps only).
    static func accessor(_ name: String, _ arguments: [CELValue]) throws(CELError) -> CELValue {
        switch (arguments.first, arguments.count) {
        case (.duration(let d), 1):
            switch name {
            case "getHours": return .int(d.seconds / 3600)
            case "getMinutes": return .int(d.seconds / 60)
            case "getSeconds": return .int(d.seconds)
            case "getMilliseconds": return .int(d.seconds * 1000 + Int64(d.nanos) / 1_000_000)
            default: throw CELError.noOverload(name, arguments)
            }
        case (.timestamp(let t), 1), (.timestamp(let t), 2):
            var offset: Int64 = 0
            if arguments.count == 2 {
                guard case .string(let zone) = arguments[1] else { throw CELError.noOverload(name, arguments) }
                offset = try self.offset(zone, at: t)
            }
            let local = t.seconds + offset
            let days = local >= 0 ? local / 86400 : (local - 86399) / 86400
            let secondOfDay = local - days * 86400
            let (year, month, day) = CELCalendar.civil(fromDays: days)
            switch name {
            case "getFullYear": return .int(year)
            case "getMonth": return .int(month - 1)
            case "getDate": return .int(day)
            case "getDayOfMonth": return .int(day - 1)
            case "getDayOfWeek": return .int(((days % 7) + 11) % 7)
            case "getDayOfYear": return .int(days - CELCalendar.days(fromCivil: year, 1, 1))
            case "getHours": return .int(secondOfDay / 3600)
            case "getMinutes": return .int(secondOfDay / 60 % 60)
            case "getSeconds": return .int(secondOfDay % 60)
            case "getMilliseconds": return .int(Int64(t.nanos) / 1_000_000)
            default: throw CELError.noOverload(name, arguments)
            }
        default:
            throw CELError.noOverload(name, arguments)
        }
    }

    /// Seconds east of UTC of `zone` at `t`.
    private static func offset(_ zone: String, at t: CELTimestamp) throws(CELError) -> Int64 {
        let bytes = Array(zone.utf8)
        if bytes.count == 6, bytes[0] == 0x2B || bytes[0] == 0x2D, bytes[3] == 0x3A,
           let hours = Int64(String(zone.dropFirst().prefix(2))), let minutes = Int64(String(zone.suffix(2))), hours < 24, minutes < 60
        {
            return (bytes[0] == 0x2D ? -1 : 1) * (hours * 3600 + minutes * 60)
        }
        if bytes.count == 5, bytes[2] == 0x3A, let hours = Int64(String(zone.prefix(2))), let minutes = Int64(String(zone.suffix(2))),
           hours < 24, minutes < 60
        {
            return hours * 3600 + minutes * 60
        }
        guard let timeZone = TimeZone(identifier: zone) else { throw CELError("unknown time zone \"\(zone.prefix(64))\"") }
        return Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(t.seconds))))
    }
}
