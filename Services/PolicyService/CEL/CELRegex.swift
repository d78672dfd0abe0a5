/// A regular expression with RE2's guarantee: matching takes time linear in the text (a
/// Thompson NFA run over the text once, never backtracking), so `matches` cannot hang. The
/// syntax is RE2's common core: literals, `.`, classes (`[a-z]`, `[^…]`, `\d \w \s` and their
/// negations), anchors `^ $`, groups `(…)` `(?:…)`, alternation, `* + ?` and `{n}` `{n,}`
/// `{n,m}` (lazy forms too), and the flag `(?i)`. Backreferences and lookaround, which no
/// linear-time engine can run, are refused when the pattern is compiled.
struct CELRegex: Sendable {
    static let maximumInstructions = 20_000
    static let maximumRepeat = 1000

    private enum Instruction: Sendable {
        case scalar(ScalarClass, negated: Bool)
        case any
        case split(Int, Int)
        case jump(Int)
        case lineStart, lineEnd
        case match
    }

    private let program: [Instruction]

    /// Its instructions: what one position of text can cost.
    var size: Int { program.count }

    /// An AST node of the pattern.
    private indirect enum Node {
        case set(ScalarClass, negated: Bool)
        case any
        case sequence([Node])
        case alternation([Node])
        case repeated(Node, min: Int, max: Int?)
        case lineStart, lineEnd
    }

    init(_ pattern: String) throws(CELError) {
        var parser = Parser(Array(pattern.unicodeScalars))
        let node = try parser.parseAlternation()
        guard parser.index == parser.scalars.count else { throw CELError("the pattern has an unmatched ')'") }
        var program: [Instruction] = []
        try Self.emit(node, into: &program)
        program.append(.match)
        self.program = program
    }

    private static func emit(_ node: Node, into program: inout [Instruction]) throws(CELError) {
        guard program.count < maximumInstructions else { throw CELError("the pattern is too large") }
        switch node {
        case .set(let set, let negated): program.append(.scalar(set, negated: negated))
        case .any: program.append(.any)
        case .lineStart: program.append(.lineStart)
        case .lineEnd: program.append(.lineEnd)
        case .sequence(let nodes): for node in nodes { try emit(node, into: &program) }
        case .alternation(let branches):
            var jumps: [Int] = []
            for (index, branch) in branches.enumerated() {
                if index < branches.count - 1 {
                    let split = program.count
                    program.append(.split(split + 1, 0))
                    try emit(branch, into: &program)
                    jumps.append(program.count)
                    program.append(.jump(0))
                    program[split] = .split(split + 1, program.count)
                } else {
                    try emit(branch, into: &program)
                }
            }
            for jump in jumps { program[jump] = .jump(program.count) }
        case .repeated(let inner, let min, let max):
            for _ in 0..<min { try emit(inner, into: &program) }
            if let max {
                // Each optional copy: split(take it, skip the rest).
                var splits: [Int] = []
                for _ in min..<max {
                    splits.append(program.count)
                    program.append(.split(program.count + 1, 0))
                    try emit(inner, into: &program)
                }
                for split in splits { program[split] = .split(split + 1, program.count) }
            } else {
                let loop = program.count
                program.append(.split(loop + 1, 0))
                try emit(inner, into: &program)
                program.append(.jump(loop))
                program[loop] = .split(loop + 1, program.count)
            }
        }
    }

    /// A set of scalars as ranges: a class costs memory for what the pattern wrote, not for
    /// every scalar it covers (`[\u0000-\U0010FFFF]` is one range).
    struct ScalarClass: Sendable {
        let ranges: [ClosedRange<UInt32>]
        init(_ ranges: [ClosedRange<UInt32>]) { self.ranges = ranges }
        func contains(_ value: UInt32) -> Bool { ranges.contains { $0.contains(value) } }
    }

    /// Whether the pattern matches anywhere in `text` (RE2's partial match).
    func matches(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        var current = Set<Int>()
        var next = Set<Int>()
        for position in 0...scalars.count {
            // A match may start at every position.
            if add(0, at: position, scalars, into: &current) { return true }
            guard position < scalars.count else { break }
            next.removeAll(keepingCapacity: true)
            let scalar = scalars[position].value
            for pc in current {
                let step: Bool
                switch program[pc] {
                case .scalar(let set, let negated): step = set.contains(scalar) != negated
                case .any: step = scalar != 0x0A
                default: step = false
                }
                if step, add(pc + 1, at: position + 1, scalars, into: &next) { return true }
            }
            swap(&current, &next)
        }
        return false
    }

    /// Adds `pc` and what it leads to without reading; true when that reaches `match`.
    private func add(_ pc: Int, at position: Int, _ scalars: [Unicode.Scalar], into states: inout Set<Int>) -> Bool {
        var stack = [pc]
        while let pc = stack.popLast() {
            guard states.insert(pc).inserted else { continue }
            switch program[pc] {
            case .match: return true
            case .jump(let target): stack.append(target)
            case .split(let first, let second): stack.append(second); stack.append(first)
            case .lineStart: if position == 0 { stack.append(pc + 1) }
            case .lineEnd: if position == scalars.count { stack.append(pc + 1) }
            case .scalar, .any: break
            }
        }
        return false
    }

    private struct Parser {
        let scalars: [Unicode.Scalar]
        var index = 0
        var caseInsensitive = false

        init(_ scalars: [Unicode.Scalar]) { self.scalars = scalars }

        func peek(_ offset: Int = 0) -> Unicode.Scalar? { index + offset < scalars.count ? scalars[index + offset] : nil }

        mutating func parseAlternation() throws(CELError) -> Node {
            var branches = [try parseSequence()]
            while peek() == "|" {
                index += 1
                branches.append(try parseSequence())
            }
            return branches.count == 1 ? branches[0] : .alternation(branches)
        }

        mutating func parseSequence() throws(CELError) -> Node {
            var nodes: [Node] = []
            while let scalar = peek(), scalar != "|", scalar != ")" {
                var atom = try parseAtom()
                while let quantifier = peek(), "*+?{".unicodeScalars.contains(quantifier) {
                    let (min, max) = try parseQuantifier()
                    if peek() == "?" { index += 1 }  // lazy: the same language, so the same answer
                    atom = .repeated(atom, min: min, max: max)
                }
                nodes.append(atom)
            }
            return .sequence(nodes)
        }

        mutating func parseQuantifier() throws(CELError) -> (Int, Int?) {
            let scalar = scalars[index]
            index += 1
            switch scalar {
            case "*": return (0, nil)
            case "+": return (1, nil)
            case "?": return (0, 1)
            default:
                let min = try number()
                var max: Int? = min
                if peek() == "," {
                    index += 1
                    max = peek() == "}" ? nil : try number()
                }
                guard peek() == "}" else { throw CELError("the pattern has an unclosed repetition {…}") }
                index += 1
                guard min <= CELRegex.maximumRepeat, (max ?? min) <= CELRegex.maximumRepeat, min <= (max ?? min) else {
                    throw CELError("a repetition in the pattern is out of range (at most \(CELRegex.maximumRepeat))")
                }
                return (min, max)
            }
        }

        mutating func number() throws(CELError) -> Int {
            var digits = ""
            while let scalar = peek(), ("0"..."9").contains(scalar), digits.count < 6 {
                digits.unicodeScalars.append(scalar)
                index += 1
            }
            guard let value = Int(digits) else { throw CELError("the pattern has a repetition without a number") }
            return value
        }

        mutating func parseAtom() throws(CELError) -> Node {
            let scalar = scalars[index]
            index += 1
            switch scalar {
            case ".": return .any
            case "^": return .lineStart
            case "$": return .lineEnd
            case "(":
                if peek() == "?" {
                    if peek(1) == ":" {
                        index += 2
                    } else if peek(1) == "i", peek(2) == ")" {
                        index += 3
                        caseInsensitive = true
                        return .sequence([])
                    } else {
                        throw CELError("the pattern uses (?…), which only (?:…) and (?i) may be in a linear-time pattern")
                    }
                }
                let inner = try parseAlternation()
                guard peek() == ")" else { throw CELError("the pattern has an unclosed '('") }
                index += 1
                return inner
            case "[": return try parseClass()
            case "\\": return try parseEscape(inClass: false).node
            case "*", "+", "?", "{": throw CELError("the pattern has a repetition with nothing to repeat")
            default: return literal(scalar.value)
            }
        }

        func literal(_ value: UInt32) -> Node {
            guard caseInsensitive, let scalar = Unicode.Scalar(value) else { return .set(ScalarClass([value...value]), negated: false) }
            let variants = [String(scalar).lowercased(), String(scalar).uppercased(), String(scalar)]
                .compactMap { $0.unicodeScalars.count == 1 ? $0.unicodeScalars.first?.value : nil }
            return .set(ScalarClass(variants.map { $0...$0 }), negated: false)
        }

        static let digits = ScalarClass([0x30...0x39])
        static let word = ScalarClass([0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x5F...0x5F])
        static let space = ScalarClass([0x09...0x0D, 0x20...0x20])

        /// An escape: a class (`\d`), or one scalar (`\.`, `\n`, `\x41`).
        mutating func parseEscape(inClass: Bool) throws(CELError) -> (node: Node, scalar: UInt32?) {
            guard let scalar = peek() else { throw CELError("the pattern ends with '\\'") }
            index += 1
            switch scalar {
            case "d": return (.set(Self.digits, negated: false), nil)
            case "D": return (.set(Self.digits, negated: true), nil)
            case "w": return (.set(Self.word, negated: false), nil)
            case "W": return (.set(Self.word, negated: true), nil)
            case "s": return (.set(Self.space, negated: false), nil)
            case "S": return (.set(Self.space, negated: true), nil)
            case "n": return (literal(0x0A), 0x0A)
            case "t": return (literal(0x09), 0x09)
            case "r": return (literal(0x0D), 0x0D)
            case "f": return (literal(0x0C), 0x0C)
            case "v": return (literal(0x0B), 0x0B)
            case "1"..."9": throw CELError("the pattern uses a backreference, which no linear-time pattern can")
            case "b", "B", "A", "z": throw CELError("the pattern uses \\\(scalar), which is not supported")
            default:
                guard !(("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)) else {
                    throw CELError("the pattern uses the unknown escape \\\(scalar)")
                }
                return (literal(scalar.value), scalar.value)
            }
        }

        mutating func parseClass() throws(CELError) -> Node {
            var negated = false
            if peek() == "^" {
                negated = true
                index += 1
            }
            var members: [ClosedRange<UInt32>] = []
            var first = true
            while true {
                guard let scalar = peek() else { throw CELError("the pattern has an unclosed '['") }
                if scalar == "]", !first { index += 1; break }
                first = false
                index += 1
                var low: UInt32
                if scalar == "\\" {
                    let escape = try parseEscape(inClass: true)
                    guard let single = escape.scalar else {
                        guard case .set(let set, let negatedSet) = escape.node, !negatedSet else {
                            throw CELError("a negated class escape inside [...] is not supported")
                        }
                        members.append(contentsOf: set.ranges)
                        continue
                    }
                    low = single
                } else {
                    low = scalar.value
                }
                if peek() == "-", let next = peek(1), next != "]" {
                    index += 2
                    var high = next.value
                    if next == "\\" {
                        guard let single = try parseEscape(inClass: true).scalar else { throw CELError("a class range ends in a class") }
                        high = single
                    }
                    guard low <= high else { throw CELError("the pattern has a reversed range in [...]") }
                    members.append(low...high)
                    if caseInsensitive { members.append(contentsOf: Self.otherCase(low...high)) }
                } else {
                    members.append(low...low)
                    if caseInsensitive { members.append(contentsOf: Self.otherCase(low...low)) }
                }
            }
            return .set(ScalarClass(members), negated: negated)
        }

        /// The other case of the ASCII letters in `range`, as ranges.
        static func otherCase(_ range: ClosedRange<UInt32>) -> [ClosedRange<UInt32>] {
            var out: [ClosedRange<UInt32>] = []
            for (letters, shift) in [(UInt32(0x41)...0x5A, Int64(0x20)), (UInt32(0x61)...0x7A, Int64(-0x20))] where range.overlaps(letters) {
                let part = range.clamped(to: letters)
                out.append(UInt32(Int64(part.lowerBound) + shift)...UInt32(Int64(part.upperBound) + shift))
            }
            return out
        }
    }
}
