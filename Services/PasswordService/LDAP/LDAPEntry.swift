/// One entry a search found: its DN and the values of the attributes asked for, as UTF-8
/// text (a value that is not UTF-8 is left out and named in `undecodable`).
public struct LDAPEntry: Sendable, Equatable {
    public var dn: String
    /// Attribute names as the server spelled them, lowercased.
    public var attributes: [String: [String]]
    public var undecodable: [String]

    public init(dn: String, attributes: [String: [String]], undecodable: [String] = []) {
        self.dn = dn
        self.attributes = attributes
        self.undecodable = undecodable
    }

    /// The first value of `name` (any case), or nil.
    public func first(_ name: String) -> String? { attributes[name.lowercased()]?.first }
}
