import Testing

@testable import PosternCEL

/// What the conformance data does not cover: where a syntax error is, the limits, the budget.
@Suite struct CELLanguageTests {
    @Test func aSyntaxErrorSaysItsLineAndColumn() {
        #expect(throws: CELSyntaxError(line: 2, column: 5, message: "unexpected ')' after the expression")) {
            _ = try CELProgram("1 +\n  2 )")
        }
        #expect {
            _ = try CELProgram("a = 1")
        } throws: { error in
            (error as? CELSyntaxError)?.description == "line 1, column 3: unexpected '=' (did you mean '=='?)"
        }
    }

    @Test func nestingAndLengthAreBounded() throws {
        _ = try CELProgram(String(repeating: "(", count: 30) + "1" + String(repeating: ")", count: 30))
        #expect(throws: CELSyntaxError.self) {
            _ = try CELProgram(String(repeating: "(", count: 200) + "1" + String(repeating: ")", count: 200))
        }
        #expect(throws: CELSyntaxError.self) {
            _ = try CELProgram(String(repeating: "1 + ", count: 5000) + "1")
        }
    }

    @Test func aRunawayExpressionSpendsItsBudgetAndStops() throws {
        let nested = try CELProgram("[1,2,3,4,5,6,7,8,9,10].map(a, [1,2,3,4,5,6,7,8,9,10].map(b, [1,2,3,4,5,6,7,8,9,10].map(c, [1,2,3,4,5,6,7,8,9,10].map(d, [1,2,3,4,5,6,7,8,9,10].map(e, a + b + c + d + e)))))")
        let start = ContinuousClock.now
        #expect(throws: CELError("the expression's cost budget is spent")) {
            _ = try nested.evaluate([:], budget: CELBudget(steps: 10_000))
        }
        #expect(ContinuousClock.now - start < .seconds(1))
        // The budget is not absorbed by || either.
        let absorbing = try CELProgram("[1,2,3,4,5,6,7,8,9,10].all(x, [1,2,3,4,5,6,7,8,9,10].all(y, x + y > 0)) || true")
        #expect(throws: CELError.self) { _ = try absorbing.evaluate([:], budget: CELBudget(steps: 50)) }
        #expect(same(try absorbing.evaluate([:], budget: CELBudget(steps: 10_000)), .bool(true)))
    }

    @Test func stringsCompareByCodePointNotByCanonicalEquivalence() throws {
        // "é" as one code point and as "e" + a combining accent: Swift's == calls them equal.
        #expect(same(try CELProgram(#"'\u00e9' == 'e\u0301'"#).evaluate([:]), .bool(false)))
        #expect(same(try CELProgram(#"'\u00e9' == '\xe9'"#).evaluate([:]), .bool(true)))
        #expect(same(try CELProgram(#"size('e\u0301')"#).evaluate([:]), .int(2)))
    }

    @Test func mapKeysAreCodePointsToo() throws {
        // Two keys, not one written twice; and each is found as written, in a small map
        // (searched entry by entry) and in a large one (hash-indexed).
        let small = #"{'\u00e9': 1, 'e\u0301': 2}"#
        #expect(same(try CELProgram("size(\(small))").evaluate([:]), .int(2)))
        #expect(same(try CELProgram(#"\#(small)['e\u0301']"#).evaluate([:]), .int(2)))
        let large = "{" + (0..<20).map { "'k\($0)': \($0)" }.joined(separator: ", ") + #", '\u00e9': 100, 'e\u0301': 200}"#
        #expect(same(try CELProgram(#"\#(large)['e\u0301'] + \#(large)['\u00e9'] + \#(large).k19"#).evaluate([:]), .int(319)))
        #expect(throws: CELError("a map literal has a key twice")) { _ = try CELProgram("{'a': 1, 'a': 2}").evaluate([:]) }
        #expect(throws: CELError("a map literal has a key twice")) {
            _ = try CELProgram("{" + (0..<20).map { "'k\($0)': \($0)" }.joined(separator: ", ") + ", 'k3': 0}").evaluate([:])
        }
    }

    @Test func comprehensionVariablesShadowAndNest() throws {
        let bound = ["x": CELValue.int(100), "a.b": .int(7)]
        #expect(same(try CELProgram("[1, 2].map(x, x * 10)").evaluate(bound), .list([.int(10), .int(20)])))
        #expect(same(try CELProgram("[1, 2].map(x, [3].map(y, x + y)[0]) == [4, 5] && x == 100").evaluate(bound), .bool(true)))
        #expect(same(try CELProgram("[1].all(x, [2].all(x, x == 2)) && a.b == 7").evaluate(bound), .bool(true)))
        #expect(throws: CELError("undeclared reference to 'y'")) { _ = try CELProgram("[1].map(x, x) == [y]").evaluate(bound) }
    }

    @Test func errorsAreAbsorbedAsTheDefinitionSays() throws {
        #expect(same(try CELProgram("1 / 0 > 2 || true").evaluate([:]), .bool(true)))
        #expect(same(try CELProgram("false && 1 / 0 > 2").evaluate([:]), .bool(false)))
        #expect(throws: CELError("division by zero")) { _ = try CELProgram("1 / 0 > 2 || false").evaluate([:]) }
        #expect(same(try CELProgram("true ? 1 : 1 / 0").evaluate([:]), .int(1)))
    }
}

/// The same value of the same type.
func same(_ a: CELValue, _ b: CELValue) -> Bool { CELEquality.equal(a, b) && a.type == b.type }

@Suite struct CELRegexTests {
    @Test func aPatternThatBacktrackingEnginesHangOnAnswersInLinearTime() throws {
        let program = try CELProgram("text.matches('(a*)*b') || text.matches('(a|aa)+$c')")
        let text = String(repeating: "a", count: 20_000)
        let start = ContinuousClock.now
        let result = try program.evaluate(["text": .string(text)], budget: CELBudget(steps: 10_000_000))
        #expect(same(result, .bool(false)))
        #expect(ContinuousClock.now - start < .seconds(5), "a backtracking engine takes longer than the universe")
    }

    @Test(arguments: [
        ("(a)\\1", "backreference"),
        ("(?=a)", "(?…)"),
        ("a{2000}", "out of range"),
        ("[b-a]", "reversed range"),
        ("(a", "unclosed '('"),
    ])
    func patternsNoLinearEngineCanRunAreRefusedWhenTheProgramCompiles(pattern: String, words: String) {
        #expect {
            _ = try CELProgram("'x'.matches('\(pattern.replacingOccurrences(of: "\\", with: "\\\\"))')")
        } throws: { error in
            (error as? CELSyntaxError)?.message.contains(words) ?? false
        }
    }

    @Test func aClassCostsWhatItsPatternSaysNotWhatItCovers() throws {
        // A thousand classes of the whole of Unicode: a set of every scalar each would be
        // gigabytes; ranges are a few kilobytes.
        let pattern = String(repeating: "[\u{0}-\u{10FFFF}]", count: 1000)
        let start = ContinuousClock.now
        let regex = try CELRegex(pattern)
        #expect(ContinuousClock.now - start < .seconds(2))
        #expect(regex.matches(String(repeating: "é", count: 1000)))
        #expect(!regex.matches(String(repeating: "é", count: 999)))
        #expect(try CELRegex("(?i)[a-c]+$").matches("xAbC"))
    }

    @Test func matchingFollowsRE2() throws {
        let cases: [(String, String, Bool)] = [
            ("hubba", "ubb", true), ("hubba", "^ubb", false), ("hubba", "^h.*a$", true), ("abc", "(?i)ABC", true),
            ("a1b2", "\\d\\w\\d", true), ("line\nbreak", "e.b", false), ("x-y", "[a-z]-[a-z]", true),
            ("aaa", "a{2,3}$", true), ("ab", "a{3}", false), ("", "foo|bar", false), ("bar", "foo|bar", true),
        ]
        for (text, pattern, expected) in cases {
            let regex = try CELRegex(pattern)
            #expect(regex.matches(text) == expected, "\(text) ~ \(pattern)")
        }
    }
}
