/// One family of stored password hashes: Django's `pbkdf2_sha256$…`, crypt(3)'s `$6$…`, and so
/// on. A family recognises its own strings by their prefix, checks an imported one before it
/// is stored, and verifies a password against one.
protocol PasswordHashFamily: Sendable {
    /// The name docs and errors use: `pbkdf2_sha256`, `sha512crypt`, …
    var name: String { get }

    /// Whether `encoded` belongs to this family (by its prefix only).
    func claims(_ encoded: String) -> Bool

    /// Checks that `encoded` is well formed and its parameters within the bounds a login may
    /// cost (docs/hashing.md); the reason when not.
    func validate(_ encoded: String) throws(HashFormatError)

    /// Whether `password` matches `encoded`, which `validate` accepted. Compares in constant time.
    func verify(_ password: [UInt8], against encoded: String) -> Bool
}

/// Why a stored hash cannot be used.
public struct HashFormatError: Error, Equatable, Sendable, CustomStringConvertible {
    public let message: String
    init(_ message: String) { self.message = message }
    public var description: String { message }
}
