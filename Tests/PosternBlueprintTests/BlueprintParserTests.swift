import Foundation
@testable import PosternBlueprint
import Testing

/// Blueprint files read and checked (docs/blueprints.md): the models, the tags, the order, and
/// every problem of a file with its line and column.
@Suite struct BlueprintParserTests {
    static let parser = BlueprintParser(environment: ["POSTERN_TEST_DAYS": "90", "POSTERN_TEST_NAME": "from-env"])

    static func problems(_ text: String, file: String = "test.yaml") -> [BlueprintProblem] {
        do {
            _ = try parser.parse(text, file: file)
            return []
        } catch {
            return error.problems
        }
    }

    @Test func theDefaultPasswordChangeFlowReadsInDependencyOrder() throws {
        let text = """
            version: 1
            metadata:
              name: Default password change
              labels: {postern.io/default: "true"}
            entries:
              # A binding before what it binds: moved after it.
              - model: postern.binding
                identifiers: {target: !KeyOf prompt, policy: !KeyOf rules, order: 0}
              - model: postern.stage_binding
                identifiers: {flow: !KeyOf flow, stage: !KeyOf prompt, order: 0}
                attrs: {stage_kind: prompt, re_evaluate_policies: false}
              - id: flow
                model: postern.flow
                identifiers: {slug: default-password-change}
                attrs: {name: Change Password, designation: stage_configuration}
              - id: prompt
                model: postern.prompt_stage
                identifiers: {name: default-password-change-prompt}
                attrs:
                  fields:
                    - {field_key: password, label: Password, type: password, required: true}
                    - {field_key: password_repeat, label: Password (repeat), type: password, required: true}
              - id: rules
                model: postern.policy.password
                identifiers: {name: default-password-change-password-policy}
                attrs: {length_min: 8, error_message: "Password needs to be 8 characters or longer."}
              - model: postern.policy.password_expiry
                state: created
                identifiers: {name: !Env POSTERN_TEST_NAME}
                attrs: {days: !Env POSTERN_TEST_DAYS, deny_only: !Env [POSTERN_TEST_UNSET, "true"]}
              - model: postern.policy.dummy
                state: absent
                identifiers: {name: old}
            """
        let blueprint = try Self.parser.parse(text, file: "change.yaml")
        #expect(blueprint.name == "Default password change" && blueprint.labels == ["postern.io/default": "true"])
        #expect(blueprint.entries.map(\.model.name) == [
            "postern.flow", "postern.prompt_stage", "postern.stage_binding", "postern.policy.password", "postern.binding",
            "postern.policy.password_expiry", "postern.policy.dummy",
        ])
        let binding = blueprint.entries[4]
        #expect(binding.identifiers == ["target": .keyOf("prompt"), "policy": .keyOf("rules"), "order": .integer(0)])
        #expect(binding.location == SourceLocation(file: "change.yaml", line: 7, column: 5))
        let expiry = blueprint.entries[5]
        #expect(expiry.state == .created && expiry.identifiers["name"] == .string("from-env"))
        #expect(expiry.attrs == ["days": .integer(90), "deny_only": .bool(true)], "!Env text read as the field's type")
        let prompt = blueprint.entries[1]
        guard case .list(let fields) = prompt.attrs["fields"] else { Issue.record("fields"); return }
        #expect(fields.first == .object([
            "field_key": .string("password"), "label": .string("Password"), "type": .string("password"), "required": .bool(true),
        ]))
    }

    @Test func everyProblemOfAFileIsListedWithItsLineAndColumn() {
        let text = """
            version: 2
            metadata: {name: broken}
            surprise: 1
            entries:
              - model: postern.flw
                identifiers: {slug: x}
              - id: a
                model: postern.flow
                identifiers: {slug: a}
                attrs: {designation: authentication, colour: blue, engine_mode: most}
              - id: a
                model: postern.policy.password
                identifiers: {name: yes}
                attrs: {length_min: eight, similar_to_user: "true"}
              - model: postern.stage_binding
                identifiers: {flow: !KeyOf nowhere, stage: !KeyOf a, order: 1}
              - model: postern.policy.expression
                identifiers: {name: e}
              - model: postern.policy.password_expiry
                identifiers: {name: !Env POSTERN_TEST_UNSET}
                attrs: {days: !Secret x}
            """
        let found = Self.problems(text).map { "\($0.location.line):\($0.location.column) \($0.message)" }
        let expected = [
            "1:10 version must be 1",
            "3:1 unknown field surprise in a blueprint; known: version, metadata, entries",
            "5:12 unknown model postern.flw",
            "10:42 unknown field colour in postern.flow attrs",
            "10:69 attrs.engine_mode is most; it must be one of: any, all",
            "11:5 id a is taken by the entry at line 7",
            "13:25 identifiers.name must be a string, not the boolean yes (quote it to make it a string)",
            "14:25 attrs.length_min must be an integer",
            "14:49 attrs.similar_to_user must be true or false, not the string \"true\"",
            "16:25 identifiers.flow: !KeyOf nowhere names no entry of this file",
            "16:48 identifiers.stage: !KeyOf a is a postern.flow; this field takes a postern.password_stage or postern.prompt_stage",
            "17:5 a postern.policy.expression needs expression",
            "20:25 identifiers.name: the environment variable POSTERN_TEST_UNSET is not set",
            "21:19 unknown tag !Secret",
        ]
        #expect(found.count == expected.count, "\(found.joined(separator: "\n"))")
        for (line, want) in zip(found, expected) {
            #expect(line.hasPrefix(want), "\(line) — wanted \(want)")
        }
        #expect(Self.problems(text).allSatisfy { $0.location.file == "test.yaml" })
    }

    @Test func aTargetIsWrittenInOneOfItsThreeForms() {
        let found = Self.problems("""
            version: 1
            metadata: {name: targets}
            entries:
              - {model: postern.binding, identifiers: {target: "flows:x", group: g, order: 0}}
              - {model: postern.binding, identifiers: {target: "flow:", group: g, order: 0}}
              - {model: postern.binding, identifiers: {target: "prompt-stage:p", group: g, order: 0}}
            """)
        #expect(found.map(\.location.line) == [4, 5], "\(found)")
        #expect(found.allSatisfy { $0.message.contains("it must be a target: flow:SLUG, stage-binding:ID, prompt-stage:NAME") })
    }

    @Test func aSyntaxErrorIsOneProblemWithItsPlace() {
        let found = Self.problems("version: 1\nmetadata: {name: x\nentries: []\n")
        #expect(found.count == 1 && found[0].message.hasPrefix("YAML syntax"), "\(found)")
        #expect(found.first?.location.line == 3)
        let twice = Self.problems("version: 1\nversion: 1\nmetadata: {name: x}\nentries: []\n")
        #expect(twice.count == 1 && twice[0].message.contains("given twice"), "\(twice)")
        #expect(Self.problems("").first?.message.contains("empty") == true)
    }

    @Test func fileValuesAreReadBesideTheBlueprintWithoutTheirLastNewline() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "request.user.id == 'u'\n".write(to: directory.appendingPathComponent("check.cel"), atomically: true, encoding: .utf8)
        let path = directory.appendingPathComponent("policies.yaml").path
        try """
            version: 1
            metadata: {name: files}
            entries:
              - model: postern.policy.expression
                identifiers: {name: from-file}
                attrs: {expression: !File check.cel}
              - model: postern.policy.expression
                identifiers: {name: fallback}
                attrs: {expression: !File [missing.cel, "true"]}
            """.write(toFile: path, atomically: true, encoding: .utf8)
        let blueprint = try Self.parser.parse(contentsOf: path)
        #expect(blueprint.entries.map { $0.attrs["expression"] } == [.string("request.user.id == 'u'"), .string("true")])
        let missing = Self.problems("""
            version: 1
            metadata: {name: files}
            entries:
              - model: postern.policy.expression
                identifiers: {name: x}
                attrs: {expression: !File /nonexistent/check.cel}
            """)
        #expect(missing.count == 1 && missing[0].message.contains("does not exist") && missing[0].location.line == 6)
    }

    /// No two of today's models can refer to each other, so a cycle cannot be written with
    /// models that check; the ordering is checked on its own.
    @Test func aReferenceCycleIsNamedAndEveryEntryStillListed() throws {
        let model = try #require(BlueprintSchema.models["postern.binding"])
        func entry(_ id: String, line: Int, refers: [String]) -> BlueprintEntry {
            let at = SourceLocation(file: "c.yaml", line: line, column: 5)
            return BlueprintEntry(
                index: line - 1, model: model, id: id, identifiers: [:], attrs: [:], state: .present, location: at, fieldLocations: [:],
                keyOfUses: refers.map { KeyOfUse(id: $0, models: ["postern.binding"], location: at, path: "attrs.x") })
        }
        var problems: [BlueprintProblem] = []
        let ordered = BlueprintReferences.order(
            [entry("a", line: 1, refers: ["c"]), entry("b", line: 2, refers: []), entry("c", line: 3, refers: ["d"]),
             entry("d", line: 4, refers: ["c"])],
            file: "c.yaml", problems: &problems)
        #expect(problems.map(\.description) == ["c.yaml:3:5: a reference cycle: c → d → c"])
        #expect(ordered.map(\.id) == ["b", "a", "c", "d"], "what can be placed first, then the rest")
        var none: [BlueprintProblem] = []
        let chain = BlueprintReferences.order(
            [entry("x", line: 1, refers: ["y"]), entry("y", line: 2, refers: ["z"]), entry("z", line: 3, refers: [])],
            file: "c.yaml", problems: &none)
        #expect(none.isEmpty && chain.map(\.id) == ["z", "y", "x"])
    }
}

/// docs/blueprints.schema.json is what the model table makes, and what docs/blueprints.md lists.
@Suite struct BlueprintDocumentationTests {
    static let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs")

    @Test func theSchemaFileIsTheGeneratedOne() throws {
        let file = try String(contentsOf: Self.docs.appendingPathComponent("blueprints.schema.json"), encoding: .utf8)
        #expect(file == BlueprintJSONSchema.text + "\n", "regenerate: postern blueprint schema > docs/blueprints.schema.json")
    }

    @Test func everyModelAndFieldIsDocumented() throws {
        let page = try String(contentsOf: Self.docs.appendingPathComponent("blueprints.md"), encoding: .utf8)
        for (name, model) in BlueprintSchema.models {
            guard let row = page.split(separator: "\n").first(where: { $0.hasPrefix("| `\(name)` |") }) else {
                Issue.record("docs/blueprints.md has no row for \(name)")
                continue
            }
            for field in model.fields.keys {
                #expect(row.contains("`\(field)`"), "docs/blueprints.md's \(name) row lacks \(field)")
            }
        }
    }
}
