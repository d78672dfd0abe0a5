import Foundation
import GRDB

/// Dates as GRDB stores them — UTC text, `yyyy-MM-dd HH:mm:ss.SSS` — written and read with
/// integer arithmetic instead of GRDB's `DateFormatter` and `Calendar`, which cost
/// microseconds per date: a login reads up to eight dates and binds one (docs/storage.md).
/// Text in any other form GRDB accepts is handed to GRDB.
public enum SQLiteDateText {
    /// `date` as GRDB would store it. GRDB's formatter rounds to the nearest millisecond,
    /// halves upward, and switches to the Julian calendar before 1582: dates before 1900 are
    /// left to it.
    public static func text(_ date: Date) -> String {
        let milliseconds = ((date.timeIntervalSinceReferenceDate + 978_307_200) * 1000 + 0.5).rounded(.down)
        guard milliseconds.isFinite, milliseconds >= -2_208_988_800_000, milliseconds < 253_402_300_800_000 else {
            return String.fromDatabaseValue(date.databaseValue) ?? ""
        }
        let total = Int64(milliseconds)
        let (days, dayMilliseconds) = total.quotientAndFlooredRemainder(86_400_000)
        let (year, month, day) = civil(fromDays: days)
        let seconds = dayMilliseconds / 1000
        var bytes = [UInt8](repeating: 0, count: 23)
        func put(_ value: Int64, at offset: Int, digits: Int) {
            var value = value
            for index in stride(from: offset + digits - 1, through: offset, by: -1) {
                bytes[index] = UInt8(truncatingIfNeeded: 48 + value % 10)
                value /= 10
            }
        }
        put(year, at: 0, digits: 4)
        bytes[4] = 45  // -
        put(month, at: 5, digits: 2)
        bytes[7] = 45
        put(day, at: 8, digits: 2)
        bytes[10] = 32  // space
        put(seconds / 3600, at: 11, digits: 2)
        bytes[13] = 58  // :
        put(seconds / 60 % 60, at: 14, digits: 2)
        bytes[16] = 58
        put(seconds % 60, at: 17, digits: 2)
        bytes[19] = 46  // .
        put(dayMilliseconds % 1000, at: 20, digits: 3)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The date in `text`: `yyyy-MM-dd HH:mm:ss` with an optional `.SSS` from 1900 on, parsed
    /// here; any other form or year through GRDB. Nil when it is no date. Within a microsecond
    /// of GRDB's reading (which goes through `Calendar` and may differ in the last bit).
    public static func date(_ text: UnsafeBufferPointer<UInt8>) -> Date? {
        guard text.count == 19 || text.count == 23 else { return viaGRDB(text) }
        func number(_ offset: Int, _ digits: Int) -> Int64? {
            var value: Int64 = 0
            for index in offset..<(offset + digits) {
                let byte = text[index]
                guard (48...57).contains(byte) else { return nil }
                value = value * 10 + Int64(byte - 48)
            }
            return value
        }
        guard text[4] == 45, text[7] == 45, text[10] == 32, text[13] == 58, text[16] == 58,
              text.count == 19 || text[19] == 46,
              let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
              let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2),
              let millisecond = text.count == 23 ? number(20, 3) : 0,
              year >= 1900, (1...12).contains(month), (1...daysIn(month, of: year)).contains(day),
              hour < 24, minute < 60, second < 60
        else { return viaGRDB(text) }
        let seconds = Self.days(fromCivil: year, month, day) * 86_400 + hour * 3600 + minute * 60 + second
        return Date(timeIntervalSinceReferenceDate: Double(seconds - 978_307_200) + Double(millisecond) / 1000)
    }

    private static func viaGRDB(_ text: UnsafeBufferPointer<UInt8>) -> Date? {
        Date.fromDatabaseValue(String(decoding: text, as: UTF8.self).databaseValue)
    }

    private static func daysIn(_ month: Int64, of year: Int64) -> Int64 {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func days(fromCivil year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let year = month <= 2 ? year - 1 : year
        let era = (year >= 0 ? year : year - 399) / 400
        let yearOfEra = year - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The proleptic Gregorian date `days` after 1970-01-01.
    static func civil(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

extension Int64 {
    /// The quotient rounded toward minus infinity, and the remainder in 0..<divisor.
    fileprivate func quotientAndFlooredRemainder(_ divisor: Int64) -> (Int64, Int64) {
        let (quotient, remainder) = quotientAndRemainder(dividingBy: divisor)
        return remainder < 0 ? (quotient - 1, remainder + divisor) : (quotient, remainder)
    }
}
