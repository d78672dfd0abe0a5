import Foundation

/// The JSON Schema (draft 2020-12) of blueprint files, made from `BlueprintSchema` so the two
/// cannot drift: `postern blueprint schema` prints it, docs/blueprints.schema.json is it (a test
/// compares them). Editors that read YAML against a schema (yaml-language-server) check models,
/// fields and types with it; the tags (`!KeyOf`, `!Find`, `!Env`, `!File`) are YAML's, declared
/// to such editors as custom tags (docs/blueprints.md).
public enum BlueprintJSONSchema {
    public static var text: String {
        let data = try! JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }

    static var document: [String: Any] {
        let entries = BlueprintSchema.models.keys.sorted().map { entry(BlueprintSchema.models[$0]!) }
        return [
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": "Postern blueprint",
            "description": "The configuration of Postern's daemons as YAML (docs/blueprints.md).",
            "type": "object",
            "required": ["version", "metadata", "entries"],
            "additionalProperties": false,
            "properties": [
                "version": ["const": 1],
                "metadata": [
                    "type": "object", "required": ["name"], "additionalProperties": false,
                    "properties": [
                        "name": ["type": "string", "minLength": 1],
                        "labels": ["type": "object", "additionalProperties": ["type": "string"]],
                    ],
                ],
                "entries": ["type": "array", "items": ["oneOf": entries]],
            ],
        ]
    }

    static func entry(_ model: BlueprintModel) -> [String: Any] {
        let identifiers = Dictionary(uniqueKeysWithValues: model.identifierFields.map { ($0, type(model.fields[$0]!)) })
        return [
            "type": "object",
            "required": ["model", "identifiers"],
            "additionalProperties": false,
            "properties": [
                "model": ["const": model.name],
                "id": ["type": "string", "minLength": 1],
                "state": ["enum": BlueprintEntryState.allCases.map(\.rawValue)],
                "identifiers": ["type": "object", "minProperties": 1, "additionalProperties": false, "properties": identifiers],
                "attrs": [
                    "type": "object", "additionalProperties": false,
                    "properties": model.fields.mapValues(type),
                ],
            ],
        ]
    }

    static func type(_ field: BlueprintFieldType) -> [String: Any] {
        switch field {
        case .string: return ["type": "string"]
        case .integer(let range): return ["type": "integer", "minimum": range.lowerBound, "maximum": range.upperBound]
        case .bool: return ["type": "boolean"]
        case .choice(let names): return ["enum": names]
        case .list(let element): return ["type": "array", "items": type(element)]
        case .object(let members, let required):
            return [
                "type": "object", "additionalProperties": false, "required": required.sorted(),
                "properties": members.mapValues(type),
            ]
        case .reference, .target:
            // A key as a string (also what !KeyOf and !Env give), or !Find's list.
            return ["anyOf": [["type": "string"], ["type": "array"]]]
        }
    }
}
