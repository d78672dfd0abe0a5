import Testing

@testable import PolicyService

@Suite struct ContextJSONTests {
    @Test func parsesEveryKindOfValueExactly() throws {
        let object = try ContextJSON.parseObject(
            #"{"a": 9007199254740993, "b": -0.5e1, "c": "x\u00e9\ud83d\ude00\n", "d": [true, false, null], "e": {}}"#)
        #expect(object["a"] == .integer(9_007_199_254_740_993))
        #expect(object["b"] == .double(-5))
        #expect(object["c"] == .string("xé😀\n"))
        #expect(object["d"] == .array([.bool(true), .bool(false), .null]))
        #expect(object["e"] == .object(ContextObject()))
        #expect(object.keys == ["a", "b", "c", "d", "e"])
    }

    @Test(arguments: [
        (#"[]"#, "context: must be a JSON object"),
        (#"{"a": 1} x"#, "context: has more after the object"),
        (#"{"a": 1, "a": 2}"#, #"context: has the key "a" twice"#),
        (#"{"user": {"groups": [1, tru]}}"#, "context.user.groups[1]: is not JSON"),
        (#"{"a": "\ud800"}"#, "context.a: holds a lone surrogate escape"),
        (#"{"a": 01}"#, "context: expected ',' or '}'"),
        (#"{"a": 99999999999999999999}"#, "context.a: is a whole number outside"),
        ("{\"a\": \"\u{01}\"}", "context.a: holds an unescaped control character"),
        (#"{"a": 1e999}"#, "context.a: is a number too large"),
    ])
    func refusesWhatIsNotStrictJSON(text: String, expected: String) {
        #expect {
            _ = try ContextJSON.parseObject(text)
        } throws: { error in
            "\(error)".hasPrefix(expected)
        }
    }

    @Test func nestingIsBounded() throws {
        let deep = String(repeating: #"{"a":"#, count: ContextJSON.maximumDepth) + "1" + String(repeating: "}", count: ContextJSON.maximumDepth)
        _ = try ContextJSON.parseObject(deep)
        let deeper = String(repeating: #"{"a":"#, count: ContextJSON.maximumDepth + 1) + "1" + String(repeating: "}", count: ContextJSON.maximumDepth + 1)
        #expect(throws: ContextJSON.Problem.self) { try ContextJSON.parseObject(deeper) }
    }
}

@Suite struct ContextJSONSizeTests {
    @Test func aLongObjectFindsItsDuplicateKeyToo() throws {
        let members = (0..<5000).map { #""k\#($0)": \#($0)"# }
        _ = try ContextJSON.parseObject("{" + members.joined(separator: ",") + "}")
        let duplicated = members + [#""k4321": 1"#]
        #expect {
            _ = try ContextJSON.parseObject("{" + duplicated.joined(separator: ",") + "}")
        } throws: { error in
            "\(error)".contains(#"has the key "k4321" twice"#)
        }
    }
}
