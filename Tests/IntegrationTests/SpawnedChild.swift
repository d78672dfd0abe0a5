import Foundation
import Synchronization

/// A child process started with posix_spawn and reaped with waitpid by its own pid.
///
/// Not Foundation's `Process`: that watches each child through a socket inherited by the
/// child and, once the socket closes, waits for the pid blocking its single monitor thread.
/// `systemd-socket-activate` closes every inherited descriptor before it execs the daemon, so
/// under `Process` the monitor blocked on a live daemon and no other child was ever seen to
/// exit again: the suite hung. Here nothing is inherited but stdin, stdout and stderr.
final class SpawnedChild: Sendable {
    let pid: pid_t
    private let exitStatus = Mutex<Int32?>(nil)

    /// Starts `executable` with `arguments` and `environment`, stdout and stderr appended to `logPath`.
    init(executable: String, arguments: [String], environment: [String: String], logPath: String) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_APPEND | O_CREAT, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        _ = Self.closeFrom?(&actions, 3)

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var child: pid_t = 0
        let result = posix_spawn(&child, executable, &actions, nil, argv, envp)
        guard result == 0 else {
            throw DaemonFailure("cannot start \(executable): \(String(cString: strerror(result)))")
        }
        pid = child
    }

    /// The exit status (128 + signal when killed by one), or nil while it runs.
    var terminationStatus: Int32? {
        exitStatus.withLock { cached in
            if let cached { return cached }
            var status: Int32 = 0
            guard waitpid(pid, &status, WNOHANG) == pid else { return nil }
            let signal = status & 0x7f
            cached = signal == 0 ? (status >> 8) & 0xff : 128 + signal
            return cached
        }
    }

    var isRunning: Bool { terminationStatus == nil }

    /// glibc's posix_spawn_file_actions_addclosefrom_np (2.34+), which Swift does not import
    /// without _GNU_SOURCE: closes every descriptor from 3 up in the child.
    private static let closeFrom: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else {
            return nil
        }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
    }()

    func signal(_ signal: Int32) {
        if isRunning { kill(pid, signal) }
    }
}
