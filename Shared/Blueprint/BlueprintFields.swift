/// An object's fields as a blueprint gives them (checked against the model's types by the
/// parser), read with the value a missing field has.
public struct BlueprintFields: Sendable, Equatable {
    public var values: [String: BlueprintValue]

    public init(_ values: [String: BlueprintValue] = [:]) { self.values = values }

    public subscript(_ field: String) -> BlueprintValue? {
        get { values[field] }
        set { values[field] = newValue }
    }

    public func string(_ field: String, default fallback: String = "") -> String {
        if case .string(let text) = values[field] { return text }
        return fallback
    }

    public func bool(_ field: String, default fallback: Bool = false) -> Bool {
        if case .bool(let flag) = values[field] { return flag }
        return fallback
    }

    public func int32(_ field: String) -> Int32 {
        if case .integer(let number) = values[field] { return Int32(clamping: number) }
        return 0
    }

    public func uint32(_ field: String) -> UInt32 {
        if case .integer(let number) = values[field] { return UInt32(clamping: number) }
        return 0
    }

    public func list(_ field: String) -> [BlueprintValue] {
        if case .list(let items) = values[field] { return items }
        return []
    }

    /// These fields overridden by `other`'s.
    public func merging(_ other: [String: BlueprintValue]) -> BlueprintFields {
        BlueprintFields(values.merging(other) { $1 })
    }

    /// The fields whose values differ from `other`'s, sorted.
    public func changed(from other: BlueprintFields) -> [String] {
        Set(values.keys).union(other.values.keys).filter { values[$0] != other.values[$0] }.sorted()
    }
}
