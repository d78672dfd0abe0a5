import PosternCrypto
import PosternDaemon
import PosternStore
import PosternRPC
import PosternWire

/// The pepper every history digest is keyed with: a secret kept outside the database, so a
/// stolen database alone reveals nothing (docs/history.md).
public struct HistoryPepper: Sendable {
    let secret: [UInt8]
    /// What the store keeps to recognise this pepper without holding it; every entry carries it.
    public let check: String

    public init(secret: [UInt8]) {
        precondition(secret.count == 32, "a pepper is 32 bytes")
        self.secret = secret
        check = Hex.lowercase(HMACSHA256.authenticationCode(key: secret, message: Array("postern history pepper check v1".utf8)))
    }

    /// The pepper at `path`, and the retired ones at `retiredPaths` (rotation: entries made
    /// under a retired pepper are still checked; new ones use the current). postern-history does
    /// not start without a pepper, nor when stored entries were made under a pepper it was not
    /// given; a store without such entries simply takes the new pepper.
    public static func load(
        path: String, retiredPaths: [String] = [], store: HistoryStore, insecurePermissionsOK: Bool = false
    ) throws(StartupError) -> HistoryPeppers {
        guard let secret = try SecretKeyFile.load(path: path, what: "the history pepper", insecurePermissionsOK: insecurePermissionsOK) else {
            throw StartupError(
                "postern-history needs a pepper and there is none at \(path); make one with: \(SecretKeyFile.howToCreate) "
                    + "(key `pepper_file`, or systemd's LoadCredential=history-pepper.key)")
        }
        var retired: [HistoryPepper] = []
        for retiredPath in retiredPaths {
            guard let old = try SecretKeyFile.load(
                path: retiredPath, what: "a retired history pepper", insecurePermissionsOK: insecurePermissionsOK) else {
                throw StartupError("the retired history pepper \(retiredPath) (key `pepper.retired_files`) does not exist")
            }
            retired.append(HistoryPepper(secret: old))
        }
        let peppers = HistoryPeppers(current: HistoryPepper(secret: secret), retired: retired)
        let entries: Int
        do {
            entries = try store.entryCount(otherThanPeppers: Set(peppers.all.map(\.check)))
            if entries == 0, try store.pepperCheck() != peppers.current.check { try store.setPepperCheck(peppers.current.check) }
        } catch {
            throw StartupError("cannot read the history store: \(error)")
        }
        guard entries == 0 else {
            throw StartupError(
                "the history pepper at \(path) is not the one \(entries) stored history entries were written "
                    + "with; give that pepper (key `pepper_file`), or, to rotate, give it as a retired one (key `pepper.retired_files`)")
        }
        return peppers
    }
}

/// The current pepper, which new entries are made with, and retired ones still checked.
public struct HistoryPeppers: Sendable {
    public let current: HistoryPepper
    public let retired: [HistoryPepper]

    public init(current: HistoryPepper, retired: [HistoryPepper] = []) {
        self.current = current
        self.retired = retired.filter { $0.check != current.check }
    }

    public var all: [HistoryPepper] { [current] + retired }

    /// The pepper whose check value is `check`, if held.
    func pepper(check: String) -> HistoryPepper? { all.first { $0.check == check } }
}
