import Foundation
import Synchronization

/// Log lines to standard output (journald under systemd), each with one `write(2)` — not
/// through stdio's buffer — so a line is out before the call that logged it answers, and
/// lines from several threads never interleave.
public enum StandardOutputLines {
    private static let lock = Mutex<Void>(())

    public static func write(_ line: UnsafeRawBufferPointer) {
        lock.withLock { _ in
            var remaining = line
            while let base = remaining.baseAddress, !remaining.isEmpty {
                let written = Glibc.write(STDOUT_FILENO, base, remaining.count)
                if written < 0 {
                    if errno == EINTR { continue }
                    return  // Nowhere to report it: the log is the report.
                }
                remaining = UnsafeRawBufferPointer(rebasing: remaining[written...])
            }
        }
    }
}
