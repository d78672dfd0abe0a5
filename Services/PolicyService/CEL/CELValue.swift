/// A CEL value (langdef "Values"). Lists and maps hold values; maps keep their entries in
/// insertion order and find them by key (int, uint, bool or string; an int and a uint of the
/// same number are the same key).
public enum CELValue: Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    case uint(UInt64)
    case double(Double)
    case string(String)
    case bytes([UInt8])
    case list([CELValue])
    case map(CELMap)
    case type(CELType)
    case timestamp(CELTimestamp)
    case duration(CELDuration)

    public var type: CELType {
        switch self {
        case .null: .null
        case .bool: .bool
        case .int: .int
        case .uint: .uint
        case .double: .double
        case .string: .string
        case .bytes: .bytes
        case .list: .list
        case .map: .map
        case .type: .type
        case .timestamp: .timestamp
        case .duration: .duration
        }
    }
}

/// The types a value can have; `type(x)` gives one, and each is a value itself.
public enum CELType: String, Sendable, CaseIterable {
    case null = "null_type"
    case bool, int, uint, double, string, bytes, list, map, type
    case timestamp = "google.protobuf.Timestamp"
    case duration = "google.protobuf.Duration"
}

/// A map key, normalised: numbers compare by value across int and uint; strings by code point
/// (not Swift's canonical equivalence: "\u{e9}" and "e\u{301}" are two keys).
enum CELKey: Hashable, Sendable {
    case bool(Bool)
    case string(String)
    /// An int, or a uint that fits one.
    case int(Int64)
    /// A uint above Int64.max.
    case largeUInt(UInt64)

    init?(_ value: CELValue) {
        switch value {
        case .bool(let value): self = .bool(value)
        case .string(let value): self = .string(value)
        case .int(let value): self = .int(value)
        case .uint(let value): self = value <= UInt64(Int64.max) ? .int(Int64(value)) : .largeUInt(value)
        default: return nil
        }
    }

    /// The key a lookup with `value` means: also an integral double (`m[1.0]` finds `1`).
    init?(lookup value: CELValue) {
        if case .double(let double) = value {
            if let int = Int64(exactly: double) {
                self = .int(int)
            } else if let uint = UInt64(exactly: double) {
                self = .largeUInt(uint)
            } else {
                return nil
            }
            return
        }
        self.init(value)
    }

    static func == (a: CELKey, b: CELKey) -> Bool {
        switch (a, b) {
        case (.bool(let x), .bool(let y)): x == y
        case (.string(let x), .string(let y)): CELEquality.sameCodePoints(x, y)
        case (.int(let x), .int(let y)): x == y
        case (.largeUInt(let x), .largeUInt(let y)): x == y
        default: false
        }
    }

    func hash(into hasher: inout Hasher) {
        switch self {
        case .bool(let value): hasher.combine(0 as UInt8); hasher.combine(value)
        case .string(let value):
            hasher.combine(1 as UInt8)
            for byte in value.utf8 { hasher.combine(byte) }
        case .int(let value): hasher.combine(2 as UInt8); hasher.combine(value)
        case .largeUInt(let value): hasher.combine(3 as UInt8); hasher.combine(value)
        }
    }
}

/// A map's entries in insertion order. A small map (the context's objects, most literals) is
/// searched entry by entry, which costs less than hashing the key; past `indexedFrom` entries
/// a hash index finds them.
public struct CELMap: Sendable {
    public private(set) var entries: [(key: CELValue, value: CELValue)] = []
    private var positions: [CELKey: Int]?
    static let indexedFrom = 9

    public init() {}

    public var count: Int { entries.count }

    /// Adds an entry; false when the key is there already (a map literal with a key twice is an
    /// error) or is not of a key type.
    public mutating func insert(_ key: CELValue, _ value: CELValue) -> Bool {
        guard let normal = CELKey(key), position(of: normal) == nil else { return false }
        if positions != nil {
            positions![normal] = entries.count
        } else if entries.count + 1 == Self.indexedFrom {
            var index: [CELKey: Int] = [:]
            for (position, entry) in entries.enumerated() { index[CELKey(entry.key)!] = position }
            index[normal] = entries.count
            positions = index
        }
        entries.append((key, value))
        return true
    }

    private func position(of key: CELKey) -> Int? {
        if let positions { return positions[key] }
        return entries.firstIndex { CELKey($0.key)! == key }
    }

    func value(for key: CELValue) -> CELValue? {
        guard let normal = CELKey(lookup: key), let position = position(of: normal) else { return nil }
        return entries[position].value
    }

    /// The value of the string key `field` (a field selection).
    public subscript(field: String) -> CELValue? {
        if positions != nil { return value(for: .string(field)) }
        return entries.withUnsafeBufferPointer { entries in
            for index in entries.indices {
                if case .string(let key) = entries[index].key, CELEquality.sameCodePoints(key, field) { return entries[index].value }
            }
            return nil
        }
    }
}
