/// Function calls and comprehensions, compiled.
extension CELCompiler {
    /// A call: every argument (the receiver first) is evaluated, then the function applied,
    /// and what the result built is charged. Negation and equality, the operators of most
    /// policies, apply directly; `matches` with a literal pattern uses the automaton the
    /// program compiled; everything else goes through `CELFunctions.call`.
    mutating func call(
        _ function: String, receiver: Bool, _ parts: [CELCode], literals: [CELExpression]
    ) throws(CELSyntaxError) -> CELCode {
        switch (function, parts.count, receiver) {
        case ("!_", 1, false):
            let operand = parts[0]
            return { f throws(CELError) in
                try f.charge(1)
                let value = try operand(&f)
                guard case .bool(let bool) = value else { throw CELError.noOverload(function, [value]) }
                return .bool(!bool)
            }
        case ("_==_", 2, false), ("_!=_", 2, false):
            let (left, right) = (parts[0], parts[1])
            let equal = function == "_==_"
            return { f throws(CELError) in
                try f.charge(1)
                let a = try left(&f)
                let b = try right(&f)
                return .bool(CELEquality.equal(a, b) == equal)
            }
        case ("matches", 2, _):
            let compiled: CELRegex? =
                if case .literal(.string(let pattern)) = literals[1] { try literalPattern(pattern) } else { nil }
            let (text, pattern) = (parts[0], parts[1])
            return { f throws(CELError) in
                try f.charge(1)
                return try Self.matches(try text(&f), try pattern(&f), compiled, &f)
            }
        default:
            return { f throws(CELError) in
                try f.charge(1)
                var values: [CELValue] = []
                values.reserveCapacity(parts.count)
                for part in parts { values.append(try part(&f)) }
                let result = try CELFunctions.call(function, receiver: receiver, values)
                try f.charge(Self.size(result))
                return result
            }
        }
    }

    /// The automaton of a pattern written as a literal, compiled the first time it is met.
    private mutating func literalPattern(_ pattern: String) throws(CELSyntaxError) -> CELRegex {
        if let compiled = patterns[pattern] { return compiled }
        do {
            let compiled = try CELRegex(pattern)
            patterns[pattern] = compiled
            return compiled
        } catch {
            throw CELSyntaxError(line: 1, column: 1, message: "matches() pattern \"\(pattern)\": \(error.message)")
        }
    }

    /// `text.matches(pattern)` or `matches(text, pattern)`: a pattern not compiled with the
    /// program is compiled now, at a cost of its length.
    private static func matches(_ text: CELValue, _ pattern: CELValue, _ compiled: CELRegex?, _ f: inout CELFrame) throws(CELError) -> CELValue {
        guard case .string(let text) = text, case .string(let source) = pattern else {
            throw CELError.noOverload("matches", [text, pattern])
        }
        let regex: CELRegex
        if let compiled {
            regex = compiled
        } else {
            try f.charge(source.unicodeScalars.count * 10)
            regex = try CELRegex(source)
        }
        // The NFA visits at most every instruction at every position.
        try f.charge(text.unicodeScalars.count * (regex.size / 4 + 1))
        return .bool(regex.matches(text))
    }

    /// What building `value` costs: its elements or bytes.
    static func size(_ value: CELValue) -> Int {
        switch value {
        case .string(let text): text.utf8.count / 64
        case .bytes(let bytes): bytes.count / 64
        case .list(let list): list.count
        case .map(let map): map.count
        default: 0
        }
    }

    /// `all`, `exists`, `exists_one`, `map` and `filter` over a list or a map's keys, the
    /// variable in comprehension slot `slot`. Each element visited costs a step.
    static func comprehension(
        _ macro: CELMacro, _ range: @escaping CELCode, _ slot: Int, _ predicate: CELCode?, _ transform: CELCode?
    ) -> CELCode {
        { f throws(CELError) in
            try f.charge(1)
            let elements: [CELValue]
            switch try range(&f) {
            case .list(let list): elements = list
            case .map(let map): elements = map.entries.map(\.key)
            case let other: throw CELError("a macro ranges over a list or a map, not \(other.type.rawValue)")
            }
            var firstError: CELError?
            var count = 0
            var built: [CELValue] = []
            for element in elements {
                try f.charge(1)
                f.locals[slot] = element
                switch macro {
                case .all, .exists:
                    let decisive = macro == .exists
                    switch attempt(predicate!, &f) {
                    case .success(.bool(decisive)): return .bool(decisive)
                    case .success(.bool): break
                    case .success(let other):
                        if firstError == nil { firstError = CELError.noOverload(decisive ? "exists" : "all", [other]) }
                    case .failure(let error):
                        if f.spent { throw error }
                        if firstError == nil { firstError = error }
                    }
                case .existsOne:
                    switch try predicate!(&f) {
                    case .bool(true): count += 1
                    case .bool(false): break
                    case let other: throw CELError.noOverload("exists_one", [other])
                    }
                case .filter:
                    switch try predicate!(&f) {
                    case .bool(true): built.append(element)
                    case .bool(false): break
                    case let other: throw CELError.noOverload("filter", [other])
                    }
                case .map:
                    if let predicate {
                        switch try predicate(&f) {
                        case .bool(true): break
                        case .bool(false): continue
                        case let other: throw CELError.noOverload("map", [other])
                        }
                    }
                    built.append(try transform!(&f))
                }
            }
            switch macro {
            case .all, .exists:
                if let firstError { throw firstError }
                return .bool(macro == .all)
            case .existsOne: return .bool(count == 1)
            case .filter, .map: return .list(built)
            }
        }
    }
}
