import Foundation
import Yams

/// Walks one blueprint's YAML tree into checked entries, noting every problem on the way.
struct EntryReader {
    let file: String
    let environment: [String: String]
    private(set) var problems: [BlueprintProblem] = []
    /// The `!KeyOf`s of the entry being read.
    private var keyOfUses: [KeyOfUse] = []

    let resolvesExternalValues: Bool

    init(file: String, environment: [String: String], resolvesExternalValues: Bool = true) {
        self.file = file
        self.environment = environment
        self.resolvesExternalValues = resolvesExternalValues
    }

    var start: SourceLocation { SourceLocation(file: file, line: 1, column: 1) }

    func at(_ node: Node) -> SourceLocation {
        guard let mark = node.mark else { return start }
        return SourceLocation(file: file, line: mark.line, column: mark.column)
    }

    mutating func problem(_ node: Node, _ message: String) { problems.append(BlueprintProblem(at(node), message)) }

    // MARK: The document

    mutating func blueprint(_ root: Node) -> Blueprint? {
        guard let top = mapping(root, "a blueprint", allowed: ["version", "metadata", "entries"]) else { return nil }
        if let version = top["version"] {
            if tagName(version) != .int || version.int != 1 { problem(version, "version must be 1") }
        } else {
            problem(root, "version is missing; this format is version: 1")
        }
        var name = ""
        var labels: [String: String] = [:]
        if let metadata = top["metadata"], let members = mapping(metadata, "metadata", allowed: ["name", "labels"]) {
            if let value = members["name"], let text = plainString(value, "metadata.name") {
                name = text
                if text.isEmpty { problem(value, "metadata.name is empty") }
            } else if members["name"] == nil {
                problem(metadata, "metadata.name is missing")
            }
            if let labelNode = members["labels"], let pairs = mapping(labelNode, "metadata.labels", allowed: nil) {
                for (key, value) in pairs.sorted(by: { $0.key < $1.key }) {
                    if let text = plainString(value, "metadata.labels.\(key)") { labels[key] = text }
                }
            }
        } else if top["metadata"] == nil {
            problem(root, "metadata is missing (at least its name)")
        }
        var entries: [BlueprintEntry] = []
        if let list = top["entries"] {
            if case .sequence(let items) = list {
                for (index, item) in items.enumerated() { if let entry = entry(item, index: index) { entries.append(entry) } }
            } else {
                problem(list, "entries must be a list of entries")
            }
        } else {
            problem(root, "entries is missing")
        }
        let ordered = BlueprintReferences.order(entries, file: file, problems: &problems)
        return Blueprint(file: file, name: name, labels: labels, entries: ordered)
    }

    // MARK: Entries

    mutating func entry(_ node: Node, index: Int) -> BlueprintEntry? {
        keyOfUses = []
        guard let members = mapping(node, "an entry", allowed: ["model", "id", "identifiers", "attrs", "state"]) else { return nil }
        guard let modelNode = members["model"] else {
            problem(node, "the entry has no model")
            return nil
        }
        guard let modelName = plainString(modelNode, "model") else { return nil }
        guard let model = BlueprintSchema.models[modelName] else {
            problem(modelNode, "unknown model \(modelName); one of: \(BlueprintSchema.models.keys.sorted().joined(separator: ", "))")
            return nil
        }
        var id: String?
        if let idNode = members["id"], let text = plainString(idNode, "id") {
            if text.isEmpty { problem(idNode, "id is empty") } else { id = text }
        }
        var state = BlueprintEntryState.present
        if let stateNode = members["state"], let text = plainString(stateNode, "state") {
            if let known = BlueprintEntryState(rawValue: text) {
                state = known
            } else {
                problem(stateNode, "state \(text) is not one of: present, created, absent")
            }
        }
        var locations: [String: SourceLocation] = [:]
        var identifiers: [String: BlueprintValue] = [:]
        if let identifierNode = members["identifiers"],
            let pairs = mapping(identifierNode, "identifiers", allowed: model.identifierFields, model: model)
        {
            for (field, value) in pairs {
                locations[field] = at(value)
                if let type = model.fields[field], let converted = self.value(value, type, "identifiers.\(field)") {
                    identifiers[field] = converted
                }
            }
            if pairs.isEmpty { problem(identifierNode, "identifiers is empty; give \(model.identifierFields.joined(separator: " or "))") }
        } else if members["identifiers"] == nil {
            problem(node, "the \(model.name) entry has no identifiers (\(model.identifierFields.joined(separator: ", ")))")
        }
        var attrs: [String: BlueprintValue] = [:]
        if let attrNode = members["attrs"] {
            if state == .absent {
                problem(attrNode, "an entry with state absent takes no attrs")
            } else if let pairs = mapping(attrNode, "attrs", allowed: model.fields.keys.sorted(), model: model) {
                for (field, value) in pairs {
                    locations[field] = at(value)
                    if let type = model.fields[field], let converted = self.value(value, type, "attrs.\(field)") {
                        attrs[field] = converted
                    }
                }
            }
        }
        if state != .absent {
            let given = Set(identifiers.keys).union(attrs.keys).union(locations.keys)
            let missing = model.required.subtracting(given).sorted()
            if !missing.isEmpty {
                problem(node, "a \(model.name) needs \(missing.joined(separator: ", ")) (in identifiers or attrs)")
            }
        }
        return BlueprintEntry(
            index: index, model: model, id: id, identifiers: identifiers, attrs: attrs, state: state, location: at(node),
            fieldLocations: locations, keyOfUses: keyOfUses)
    }

    // MARK: Values

    /// `node` as a value of `type`; nil (and a problem) when it is not one.
    mutating func value(_ node: Node, _ type: BlueprintFieldType, _ path: String) -> BlueprintValue? {
        let tag = node.tag.description
        if tag.hasPrefix("!") {
            return tagged(node, tag, type, path)
        }
        switch type {
        case .string:
            return plainString(node, path).map { .string($0) }
        case .integer(let range):
            guard case .scalar = node, tagName(node) == .int, let number = node.int else {
                problem(node, "\(path) must be \(type.described), not \(kind(node))")
                return nil
            }
            guard range.contains(Int64(number)) else {
                problem(node, "\(path) is \(number); it must be \(range.lowerBound)…\(range.upperBound)")
                return nil
            }
            return .integer(Int64(number))
        case .bool:
            guard case .scalar = node, tagName(node) == .bool, let flag = node.bool else {
                problem(node, "\(path) must be true or false, not \(kind(node))")
                return nil
            }
            return .bool(flag)
        case .choice(let names):
            guard let text = plainString(node, path) else { return nil }
            guard names.contains(text) else {
                problem(node, "\(path) is \(text); it must be \(type.described)")
                return nil
            }
            return .string(text)
        case .list(let element):
            guard case .sequence(let items) = node else {
                problem(node, "\(path) must be a list, not \(kind(node))")
                return nil
            }
            var values: [BlueprintValue] = []
            var complete = true
            for (index, item) in items.enumerated() {
                if let converted = value(item, element, "\(path)[\(index)]") { values.append(converted) } else { complete = false }
            }
            return complete ? .list(values) : nil
        case .object(let members, let required):
            guard let pairs = mapping(node, path, allowed: members.keys.sorted()) else { return nil }
            var values: [String: BlueprintValue] = [:]
            var complete = true
            for (key, item) in pairs {
                guard let memberType = members[key] else { continue }
                if let converted = value(item, memberType, "\(path).\(key)") { values[key] = converted } else { complete = false }
            }
            for key in required.subtracting(pairs.keys).sorted() {
                problem(node, "\(path) needs \(key)")
                complete = false
            }
            return complete ? .object(values) : nil
        case .reference:
            return plainString(node, path).map { .string($0) }
        case .target:
            guard let text = plainString(node, path) else { return nil }
            guard BlueprintSchema.targetPrefixes.contains(where: { text.hasPrefix($0) && text.count > $0.count }) else {
                problem(node, "\(path) is \"\(text)\"; it must be \(type.described)")
                return nil
            }
            return .string(text)
        }
    }

    /// A value written with one of Postern's tags.
    mutating func tagged(_ node: Node, _ tag: String, _ type: BlueprintFieldType, _ path: String) -> BlueprintValue? {
        switch tag {
        case "!KeyOf":
            switch type {
            case .reference(let models): return keyOf(node, path, models: models)
            case .target: return keyOf(node, path, models: BlueprintSchema.targetModels)
            default:
                problem(node, "\(path) is \(type.described); !KeyOf gives another entry's key, which does not fit here")
                return nil
            }
        case "!Find":
            switch type {
            case .reference, .target: return find(node, path)
            default:
                problem(node, "\(path) is \(type.described); !Find gives an object's key, which does not fit here")
                return nil
            }
        case "!Env", "!File":
            guard resolvesExternalValues else {
                problem(node, "\(path): \(tag) is resolved by the client that reads the blueprint file; send its value")
                return nil
            }
            return tag == "!Env" ? environmentValue(node, type, path) : fileValue(node, type, path)
        default:
            problem(node, "unknown tag \(tag); Postern's are !KeyOf, !Find, !Env and !File")
            return nil
        }
    }

    /// `!Env NAME` or `!Env [NAME, DEFAULT]`: the variable's text read as the field's type.
    mutating func environmentValue(_ node: Node, _ type: BlueprintFieldType, _ path: String) -> BlueprintValue? {
        guard let (name, fallback) = nameAndDefault(node, "!Env", path) else { return nil }
        guard let text = environment[name] ?? fallback else {
            problem(node, "\(path): the environment variable \(name) is not set and no default is given (!Env [\(name), DEFAULT])")
            return nil
        }
        return value(Self.scalar(text, for: type), type, path, at: node)
    }

    /// `!File PATH` or `!File [PATH, DEFAULT]`: the file's text, relative to the blueprint's
    /// directory, without its one trailing newline (a key file or an expression).
    mutating func fileValue(_ node: Node, _ type: BlueprintFieldType, _ path: String) -> BlueprintValue? {
        guard let (name, fallback) = nameAndDefault(node, "!File", path) else { return nil }
        let resolved = name.hasPrefix("/") ? name : URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent(name).path
        let text: String
        if FileManager.default.fileExists(atPath: resolved) {
            do {
                text = try BlueprintParser.read(resolved, what: "!File", at: at(node))
            } catch {
                problems += error.problems.map { BlueprintProblem(at(node), "\(path): \($0.message)") }
                return nil
            }
        } else if let fallback {
            text = fallback
        } else {
            problem(node, "\(path): the file \(resolved) does not exist and no default is given (!File [PATH, DEFAULT])")
            return nil
        }
        let trimmed = text.hasSuffix("\n") ? String(text.dropLast()) : text
        return value(Self.scalar(trimmed, for: type), type, path, at: node)
    }

    /// `value` of a scalar made from `!Env` or `!File` text, problems placed at `origin`.
    mutating func value(_ made: Node, _ type: BlueprintFieldType, _ path: String, at origin: Node) -> BlueprintValue? {
        let before = problems.count
        let converted = value(made, type, path)
        if problems.count > before {
            for index in before..<problems.count { problems[index] = BlueprintProblem(at(origin), problems[index].message) }
        }
        return converted
    }

    /// Text from `!Env` or `!File` as a scalar: a string where a string is wanted (so `true`
    /// stays text), else read as YAML reads a plain scalar (`8` an integer, `true` a boolean).
    static func scalar(_ text: String, for type: BlueprintFieldType) -> Node {
        switch type {
        case .string, .choice, .reference, .target: Node(text, Tag(.str), .literal)
        default: Node(text, Tag(.implicit), .plain)
        }
    }

    mutating func keyOf(_ node: Node, _ path: String, models: [String]) -> BlueprintValue? {
        guard case .scalar(let scalar) = node, !scalar.string.isEmpty else {
            problem(node, "\(path): !KeyOf takes an entry's id: !KeyOf ID")
            return nil
        }
        keyOfUses.append(KeyOfUse(id: scalar.string, models: models, location: at(node), path: path))
        return .keyOf(scalar.string)
    }

    /// `!Find [MODEL, [FIELD, VALUE], …]`.
    mutating func find(_ node: Node, _ path: String) -> BlueprintValue? {
        let usage = "\(path): !Find takes [MODEL, [FIELD, VALUE], …]"
        guard case .sequence(let items) = node, let first = items.first, items.count >= 2,
            case .scalar(let modelScalar) = first
        else {
            problem(node, usage)
            return nil
        }
        guard let model = BlueprintSchema.models[modelScalar.string] else {
            problem(first, "\(path): !Find of unknown model \(modelScalar.string)")
            return nil
        }
        var query: [String: BlueprintValue] = [:]
        for pair in items.dropFirst() {
            guard case .sequence(let parts) = pair, parts.count == 2, case .scalar(let field) = parts[0] else {
                problem(pair, usage)
                return nil
            }
            guard let type = model.fields[field.string] ?? (field.string == model.key ? .string : nil) else {
                problem(parts[0], "\(path): \(model.name) has no field \(field.string)")
                return nil
            }
            guard let value = value(parts[1], type, "\(path) \(field.string)") else { return nil }
            query[field.string] = value
        }
        return .find(model: model.name, query: query)
    }

    /// `!Tag NAME` or `!Tag [NAME, DEFAULT]`.
    mutating func nameAndDefault(_ node: Node, _ tag: String, _ path: String) -> (String, String?)? {
        switch node {
        case .scalar(let scalar) where !scalar.string.isEmpty:
            return (scalar.string, nil)
        case .sequence(let items) where items.count == 2:
            if case .scalar(let name) = items[0], case .scalar(let fallback) = items[1], !name.string.isEmpty {
                return (name.string, fallback.string)
            }
        default:
            break
        }
        problem(node, "\(path): \(tag) takes NAME or [NAME, DEFAULT]")
        return nil
    }

    // MARK: Pieces

    /// A mapping's members by key, keys checked against `allowed` (nil: any string key).
    mutating func mapping(_ node: Node, _ what: String, allowed: [String]?, model: BlueprintModel? = nil) -> [String: Node]? {
        guard case .mapping(let pairs) = node else {
            problem(node, "\(what) must be a mapping, not \(kind(node))")
            return nil
        }
        var members: [String: Node] = [:]
        for (keyNode, value) in pairs {
            guard case .scalar(let key) = keyNode, tagName(keyNode) == .str else {
                problem(keyNode, "\(what): keys are plain strings, not \(kind(keyNode))")
                continue
            }
            if let allowed, !allowed.contains(key.string) {
                let owner = model.map { "\($0.name) " } ?? ""
                problem(keyNode, "unknown field \(key.string) in \(owner)\(what); known: \(allowed.joined(separator: ", "))")
                continue
            }
            members[key.string] = value
        }
        return members
    }

    /// A string scalar (quoted if YAML would read it as another type).
    mutating func plainString(_ node: Node, _ path: String) -> String? {
        guard case .scalar(let scalar) = node, tagName(node) == .str else {
            problem(node, "\(path) must be a string, not \(kind(node))" + (isScalar(node) ? " (quote it to make it a string)" : ""))
            return nil
        }
        guard !scalar.string.unicodeScalars.contains("\0") else {
            problem(node, "\(path) holds a NUL character")
            return nil
        }
        return scalar.string
    }

    func isScalar(_ node: Node) -> Bool {
        if case .scalar = node { return true }
        return false
    }

    /// The node's resolved tag (`tag:yaml.org,2002:int`, `!KeyOf`).
    func tagName(_ node: Node) -> Tag.Name { Tag.Name(rawValue: node.tag.description) }

    /// How a message names what `node` is.
    func kind(_ node: Node) -> String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case .scalar(let scalar):
            switch tagName(node) {
            case .int: return "the integer \(scalar.string)"
            case .bool: return "the boolean \(scalar.string)"
            case .null: return "null"
            case .float: return "the number \(scalar.string)"
            case .str: return "the string \"\(scalar.string)\""
            default: return "\(node.tag.description) \(scalar.string)"
            }
        }
    }
}
