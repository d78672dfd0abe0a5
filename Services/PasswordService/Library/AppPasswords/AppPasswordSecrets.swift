import Foundation
import PosternDaemon
import PosternCrypto
import PosternProtocol
import PosternRPC
import PosternWire

/// Making, sealing and reading back app passwords with the operator's key.
struct AppPasswordSecrets: Sendable {
    /// Every app password starts with this, so secret scanners (and people) can tell one.
    static let prefix = "pstn_ap_"
    /// 43 letters and digits after the prefix: 256 bits.
    static let randomCharacters = 43
    static let maximumDescriptionCharacters = 1000
    /// An expiry further ahead than this is refused: it is "never" in all but name, and dates
    /// past year 9999 do not survive the store's date format.
    static let maximumLifetime: TimeInterval = 100 * 366 * 86400

    let key: AppPasswordKey?
    let keyPath: String

    /// The key, or FAILED_PRECONDITION saying how to make one.
    func requireKey() throws(RPCError) -> AppPasswordKey {
        guard let key else {
            throw RPCError(
                code: .failedPrecondition,
                message: "app passwords need a key, and there is none at \(keyPath); make one with: "
                    + "\(AppPasswordKey.howToCreate) (key `app_passwords.key_file`), then restart postern-password")
        }
        return key
    }

    /// A new app password for `userID`: the row to store (sealed, indexed) and the secret.
    func make(
        userID: String, description: String, expiresUnixMilliseconds: Int64, now: Date
    ) throws(RPCError) -> (row: StoredAppPassword, secret: String) {
        let key = try requireKey()
        guard description.count <= Self.maximumDescriptionCharacters,
              !description.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else {
            throw RPCError(
                code: .invalidArgument,
                message: "description must be at most \(Self.maximumDescriptionCharacters) characters without control characters")
        }
        var expires: Date?
        if expiresUnixMilliseconds != 0 {
            let date = Date(timeIntervalSince1970: Double(expiresUnixMilliseconds) / 1000)
            guard date > now else { throw RPCError(code: .invalidArgument, message: "expires_unix_ms is not in the future") }
            guard date.timeIntervalSince(now) <= Self.maximumLifetime else {
                throw RPCError(
                    code: .invalidArgument, message: "expires_unix_ms is more than 100 years ahead; for no expiry, give 0")
            }
            expires = date
        }
        let secret = Self.prefix + SecureRandom.alphanumeric(Self.randomCharacters)
        let id = UUID().uuidString.lowercased()
        let (nonce, sealed) = key.seal(Array(secret.utf8), id: id)
        let row = StoredAppPassword(
            id: id, userID: userID, description: description, lookupIndex: key.index(of: Array(secret.utf8)),
            nonce: Data(nonce), sealed: Data(sealed), createdAt: now, expiresAt: expires)
        return (row, secret)
    }

    /// The secret of a stored app password.
    func open(_ row: StoredAppPassword) throws(RPCError) -> String {
        let key = try requireKey()
        guard let secret = key.open([UInt8](row.sealed), nonce: [UInt8](row.nonce), id: row.id) else {
            throw RPCError(code: .dataLoss, message: "app password \(row.id) does not open with this key")
        }
        return String(decoding: secret, as: UTF8.self)
    }

    static func message(_ row: StoredAppPassword) -> Postern.Password.V1.AppPassword {
        Postern.Password.V1.AppPassword(
            id: row.id, userID: row.userID, descriptionField: row.description,
            createdUnixMs: row.createdAt.unixMilliseconds, expiresUnixMs: row.expiresAt.map(\.unixMilliseconds) ?? 0,
            revokedUnixMs: row.revokedAt.map(\.unixMilliseconds) ?? 0)
    }
}
