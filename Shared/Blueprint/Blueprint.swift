/// A value in a blueprint entry, checked against its field's type.
public indirect enum BlueprintValue: Sendable, Hashable {
    case string(String)
    case integer(Int64)
    case bool(Bool)
    case list([BlueprintValue])
    case object([String: BlueprintValue])
    /// `!KeyOf ID`: the key of the entry `ID` of the same file, once it is applied.
    case keyOf(String)
    /// `!Find [MODEL, [FIELD, VALUE], …]`: the key of the one existing object (or entry being
    /// applied) of MODEL whose fields have those values.
    case find(model: String, query: [String: BlueprintValue])
}

/// What an entry asks for.
public enum BlueprintEntryState: String, Sendable, CaseIterable {
    /// Created if missing, else updated to the attrs given (others keep their values).
    case present
    /// Created if missing; an existing object is left as it is.
    case created
    /// Deleted if it exists.
    case absent
}

/// One entry of a blueprint.
public struct BlueprintEntry: Sendable {
    /// Its position in the file's `entries` (0-based), whatever order it is applied in.
    public let index: Int
    public let model: BlueprintModel
    /// The entry's own name for `!KeyOf`.
    public let id: String?
    /// How the existing object is found.
    public let identifiers: [String: BlueprintValue]
    public let attrs: [String: BlueprintValue]
    public let state: BlueprintEntryState
    /// Where the entry starts.
    public let location: SourceLocation
    /// Where each identifier and attribute was written, for errors found when applying.
    public let fieldLocations: [String: SourceLocation]

    /// Every `!KeyOf` in the entry's values.
    public let keyOfUses: [KeyOfUse]
}

/// One `!KeyOf`: the entry it names, the models it may be, where it is written.
public struct KeyOfUse: Sendable, Hashable {
    public let id: String
    public let models: [String]
    public let location: SourceLocation
    public let path: String
}

/// A parsed, checked blueprint file: entries in the order they can be applied (each after the
/// entries it refers to with `!KeyOf`; otherwise in file order).
public struct Blueprint: Sendable {
    public let file: String
    public let name: String
    public let labels: [String: String]
    public let entries: [BlueprintEntry]
}
