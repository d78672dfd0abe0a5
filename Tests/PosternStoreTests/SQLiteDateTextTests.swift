import Foundation
import GRDB
import PosternStore
import Testing

/// The login read writes and parses dates itself; they must be exactly GRDB's, or a bound
/// `now` would compare wrongly with GRDB's columns and a read record would differ.
@Suite struct SQLiteDateTextTests {
    @Test func datesAreWrittenAsGRDBWritesThem() {
        var generator = SystemRandomNumberGenerator()
        // Years 0001…9999 (before 1900 GRDB's own formatter answers), at random instants down to a
        // fraction of a millisecond, and halves of a millisecond, which GRDB rounds upward.
        let range = -62_135_596_800.0...253_402_300_799.0
        let samples = (0..<5000).map { _ in Date(timeIntervalSince1970: Double.random(in: range, using: &generator)) }
            + [-2_150_391_877.1295, -0.0005, 0, 951_782_400.9999, 1_700_000_000.0005, 1_700_000_000.0015].map {
                Date(timeIntervalSinceReferenceDate: $0)
            }
        for date in samples {
            #expect(SQLiteDateText.text(date) == String.fromDatabaseValue(date.databaseValue), "\(date.timeIntervalSince1970)")
        }
    }

    @Test func storedTextIsReadAsGRDBReadsIt() {
        let texts = [
            "2023-11-14 22:13:20.000", "2024-02-29 23:59:59.999", "1969-12-31 23:59:59.500", "0001-01-01 00:00:00.000",
            "9999-12-31 23:59:59.999", "2000-03-01 12:00:00",
            // Not in the stored form: GRDB's reading decides.
            "2024-02-30 00:00:00.000", "2024-01-01T10:00:00.000", "2024-01-01 10:00", "not a date", "",
        ]
        for text in texts {
            let ours = Array(text.utf8).withUnsafeBufferPointer { SQLiteDateText.date($0) }
            #expect(Self.same(ours, Date.fromDatabaseValue(text.databaseValue)), "\(text)")
        }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let date = Date(timeIntervalSince1970: Double.random(in: -62_135_596_800.0...253_402_300_799.0, using: &generator))
            let text = String.fromDatabaseValue(date.databaseValue)!
            let ours = Array(text.utf8).withUnsafeBufferPointer { SQLiteDateText.date($0) }
            #expect(Self.same(ours, Date.fromDatabaseValue(text.databaseValue)), "\(text)")
        }
    }

    /// Both nil, or within a microsecond: GRDB's `Calendar` arithmetic may differ in the last bit.
    static func same(_ ours: Date?, _ grdbs: Date?) -> Bool {
        switch (ours, grdbs) {
        case (nil, nil): true
        case (let ours?, let grdbs?): abs(ours.timeIntervalSince(grdbs)) < 1e-6
        default: false
        }
    }
}
