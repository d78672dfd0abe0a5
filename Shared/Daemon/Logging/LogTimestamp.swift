import Foundation
import Synchronization

/// A log line's time, `%Y-%m-%dT%H:%M:%S%z` in local time as swift-log's stream handler writes
/// it, formatted once per second rather than once per line.
enum LogTimestamp {
    private static let last = Mutex<(second: time_t, text: [UInt8])>((-1, []))

    static func append(to line: inout [UInt8]) {
        let now = time(nil)
        if let text = last.withLock({ $0.second == now ? $0.text : nil }) {
            line.append(contentsOf: text)
            return
        }
        var seconds = now
        var local = tm()
        var buffer = [CChar](repeating: 0, count: 64)
        let text: [UInt8] =
            if localtime_r(&seconds, &local) != nil, strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S%z", &local) > 0 {
                buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
            } else {
                Array("<unknown>".utf8)
            }
        last.withLock { $0 = (now, text) }
        line.append(contentsOf: text)
    }
}
