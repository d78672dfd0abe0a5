import Foundation
import PosternCEL

/// Runs conformance data in the JSON form of ../shared/cel-conformance (Google's cel-spec
/// `tests/simple/testdata` converted): for each test, the expression is parsed and evaluated
/// with its bindings, and the result compared with `expect` — a value (equal as CEL values,
/// and of the same type) or an error (any error).
public enum CELConformance {
    public struct Failure: Sendable {
        public let section: String
        public let test: String
        public let expression: String
        public let problem: String
    }

    public struct FileResult: Sendable {
        public let file: String
        public let total: Int
        public let failures: [Failure]
        public var passed: Int { total - failures.count }
    }

    /// Every `*.json` of `directory`, by name.
    public static func run(directory: String) throws -> [FileResult] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".json") }.sorted()
        return try names.map { try run(file: directory + "/" + $0) }
    }

    public static func run(file: String) throws -> FileResult {
        let data = try Data(contentsOf: URL(fileURLWithPath: file))
        guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let sections = root["sections"] as? [[String: Any]]
        else { throw ConformanceFileError(file: file, problem: "not an object with sections") }
        var total = 0
        var failures: [Failure] = []
        for section in sections {
            let sectionName = section["name"] as? String ?? "?"
            for test in section["tests"] as? [[String: Any]] ?? [] {
                total += 1
                let name = test["name"] as? String ?? "?"
                let expression = test["expr"] as? String ?? ""
                if let problem = check(test) {
                    failures.append(Failure(section: sectionName, test: name, expression: expression, problem: problem))
                }
            }
        }
        return FileResult(file: (file as NSString).lastPathComponent, total: total, failures: failures)
    }

    /// Why `test` fails; nil when it passes.
    static func check(_ test: [String: Any]) -> String? {
        let source = test["expr"] as? String ?? ""
        var bindings: [String: CELValue] = [:]
        for (name, raw) in test["bindings"] as? [String: Any] ?? [:] {
            guard let value = value(raw) else { return "binding \(name) is not a value this runner reads" }
            bindings[name] = value
        }
        guard let expect = test["expect"] as? [String: Any] else { return "no expect" }
        let outcome: Result<CELValue, any Error>
        do {
            let program = try CELProgram(source)
            outcome = .success(try program.evaluate(bindings))
        } catch {
            outcome = .failure(error)
        }
        if expect["error"] != nil {
            if case .success(let value) = outcome { return "expected an error, got \(describe(value))" }
            return nil
        }
        guard let raw = expect["value"], let expected = value(raw) else { return "expected value is not one this runner reads" }
        switch outcome {
        case .failure(let error): return "expected \(describe(expected)), got error: \(error)"
        case .success(let actual):
            return same(actual, expected) ? nil : "expected \(describe(expected)), got \(describe(actual))"
        }
    }

    /// Equal as values and of the same type, element by element (NaN equals NaN here).
    static func same(_ a: CELValue, _ b: CELValue) -> Bool {
        switch (a, b) {
        case (.double(let x), .double(let y)): return x == y || (x.isNaN && y.isNaN)
        case (.list(let x), .list(let y)): return x.count == y.count && zip(x, y).allSatisfy { same($0, $1) }
        case (.map(let x), .map(let y)):
            guard x.count == y.count else { return false }
            return x.entries.allSatisfy { entry in
                y.entries.contains { same($0.key, entry.key) && same($0.value, entry.value) }
            }
        default:
            return a.type == b.type && describe(a) == describe(b)
        }
    }

    static func describe(_ value: CELValue) -> String {
        switch value {
        case .null: "null"
        case .bool(let x): "\(x)"
        case .int(let x): "\(x)"
        case .uint(let x): "\(x)u"
        case .double(let x): "\(x)"
        case .string(let x): "\"\(x)\""
        case .bytes(let x): "b\(x)"
        case .list(let x): "[" + x.map(describe).joined(separator: ", ") + "]"
        case .map(let x): "{" + x.entries.map { describe($0.key) + ": " + describe($0.value) }.joined(separator: ", ") + "}"
        case .type(let x): "type(\(x.rawValue))"
        case .timestamp(let x): "timestamp(\(x.text))"
        case .duration(let x): "duration(\(x.text))"
        }
    }

    /// A value in the data's JSON form.
    static func value(_ raw: Any) -> CELValue? {
        guard let object = raw as? [String: Any], let (kind, payload) = object.first, object.count == 1 else { return nil }
        switch kind {
        case "null": return .null
        case "bool": return (payload as? Bool).map(CELValue.bool)
        case "int": return (payload as? String).flatMap { Int64($0) }.map(CELValue.int)
        case "uint": return (payload as? String).flatMap { UInt64($0) }.map(CELValue.uint)
        case "double":
            if let text = payload as? String {
                switch text {
                case "Infinity": return .double(.infinity)
                case "-Infinity": return .double(-.infinity)
                case "NaN": return .double(.nan)
                default: return Double(text).map(CELValue.double)
                }
            }
            return (payload as? NSNumber).map { .double($0.doubleValue) }
        case "string": return (payload as? String).map(CELValue.string)
        case "bytes": return (payload as? String).flatMap { Data(base64Encoded: $0) }.map { .bytes([UInt8]($0)) }
        case "list":
            guard let items = payload as? [Any] else { return nil }
            var values: [CELValue] = []
            for item in items {
                guard let value = value(item) else { return nil }
                values.append(value)
            }
            return .list(values)
        case "map":
            guard let entries = payload as? [[String: Any]] else { return nil }
            var map = CELMap()
            for entry in entries {
                guard let key = entry["key"].flatMap(value), let item = entry["value"].flatMap(value), map.insert(key, item) else { return nil }
            }
            return .map(map)
        case "type":
            return (payload as? String).flatMap { CELType(rawValue: $0) }.map(CELValue.type)
        default:
            return nil
        }
    }
}

public struct ConformanceFileError: Error, CustomStringConvertible {
    public let file: String
    public let problem: String
    public var description: String { "\(file): \(problem)" }
}

extension CELConformance {
    /// `value` in the data's JSON form (the inverse of `value(_:)`), for `--eval`'s answers.
    public static func json(_ value: CELValue) -> Any {
        switch value {
        case .null: return ["null": true]
        case .bool(let x): return ["bool": x]
        case .int(let x): return ["int": String(x)]
        case .uint(let x): return ["uint": String(x)]
        case .double(let x):
            if x.isNaN { return ["double": "NaN"] }
            if x.isInfinite { return ["double": x < 0 ? "-Infinity" : "Infinity"] }
            return ["double": x]
        case .string(let x): return ["string": x]
        case .bytes(let x): return ["bytes": Data(x).base64EncodedString()]
        case .list(let x): return ["list": x.map(json)]
        case .map(let x): return ["map": x.entries.map { ["key": json($0.key), "value": json($0.value)] }]
        case .type(let x): return ["type": x.rawValue]
        case .timestamp(let x): return ["timestamp": x.text]
        case .duration(let x): return ["duration": x.text]
        }
    }

    /// One `--eval` line: `{"expr": …, "bindings": {name: value}}` in, `{"value": …}`,
    /// `{"error": text}` or `{"syntax_error": text}` out.
    public static func evaluateLine(_ line: String) -> String {
        var answer: [String: Any]
        if let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], let source = object["expr"] as? String {
            var bindings: [String: CELValue] = [:]
            var unreadable: String?
            for (name, raw) in object["bindings"] as? [String: Any] ?? [:] {
                if let value = value(raw) { bindings[name] = value } else { unreadable = name }
            }
            if let unreadable {
                answer = ["input_error": "binding \(unreadable) is not a value"]
            } else {
                do {
                    let program = try CELProgram(source)
                    do {
                        answer = ["value": json(try program.evaluate(bindings))]
                    } catch {
                        answer = ["error": error.message]
                    }
                } catch {
                    answer = ["syntax_error": error.description]
                }
            }
        } else {
            answer = ["input_error": "not an object with \"expr\""]
        }
        let data = (try? JSONSerialization.data(withJSONObject: answer, options: [.sortedKeys])) ?? Data("{\"input_error\": \"unencodable\"}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
