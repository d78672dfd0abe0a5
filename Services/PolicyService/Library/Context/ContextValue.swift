/// A JSON value of a policy context, as parsed: whole numbers kept exact and apart from
/// fractional ones (CEL tells `int` from `double`), object keys in their order.
public enum ContextValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case integer(Int64)
    case double(Double)
    case string(String)
    case array([ContextValue])
    case object(ContextObject)

    /// How an error names this value's type.
    public var kind: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .integer, .double: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

/// A JSON object: its members in order, found by key. Keys are unique (a duplicate is refused
/// when parsing).
public struct ContextObject: Sendable, Equatable {
    public private(set) var members: [(key: String, value: ContextValue)]

    public init(_ members: [(key: String, value: ContextValue)] = []) { self.members = members }

    public subscript(key: String) -> ContextValue? {
        for member in members where member.key == key { return member.value }
        return nil
    }

    public var keys: [String] { members.map(\.key) }

    public static func == (lhs: ContextObject, rhs: ContextObject) -> Bool {
        lhs.members.count == rhs.members.count
            && zip(lhs.members, rhs.members).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }
}
