import PosternCrypto
import PosternDaemon
import PosternStore
import PosternWire

/// The pepper every history digest is keyed with: a secret kept outside the database, so a
/// stolen database alone reveals nothing (DESIGN.md, docs/history.md).
public struct HistoryPepper: Sendable {
    let secret: [UInt8]
    /// What the store keeps to recognise this pepper without holding it; every entry carries it.
    public let check: String

    public init(secret: [UInt8]) {
        precondition(secret.count == 32, "a pepper is 32 bytes")
        self.secret = secret
        check = HMACSHA256.authenticationCode(key: secret, message: Array("postern history pepper check v1".utf8))
            .map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    /// The pepper at `path`. postern-history does not start without one, nor with one the
    /// stored history was not written with; a store without entries takes the new pepper.
    public static func load(path: String, store: HistoryStore) throws(StartupError) -> HistoryPepper {
        guard let secret = try SecretKeyFile.load(path: path, what: "the history pepper") else {
            throw StartupError(
                "postern-history needs a pepper and there is none at \(path); make one with: \(SecretKeyFile.howToCreate) "
                    + "(key `pepper_file`, or systemd's LoadCredential=history-pepper.key)")
        }
        let pepper = HistoryPepper(secret: secret)
        let entries: Int
        do {
            guard try store.pepperCheck() != pepper.check else { return pepper }
            entries = try store.entryCount(otherThanPepper: pepper.check)
            if entries == 0 { try store.setPepperCheck(pepper.check) }
        } catch {
            throw StartupError("cannot read the history store: \(error)")
        }
        guard entries == 0 else {
            throw StartupError(
                "the history pepper at \(path) is not the one the \(entries) stored history entries were written "
                    + "with; give that pepper (key `pepper_file`)")
        }
        return pepper
    }
}
