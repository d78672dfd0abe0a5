import Glibc

/// Equality and ordering (langdef "Equality", "Ordering"): numbers compare by value across int,
/// uint and double; values of different kinds are unequal, never an error.
enum CELEquality {
    static func equal(_ a: CELValue, _ b: CELValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.string(let x), .string(let y)): return sameCodePoints(x, y)
        case (.bytes(let x), .bytes(let y)): return x == y
        case (.type(let x), .type(let y)): return x == y
        case (.timestamp(let x), .timestamp(let y)): return x == y
        case (.duration(let x), .duration(let y)): return x == y
        case (.list(let x), .list(let y)): return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
        case (.map(let x), .map(let y)):
            guard x.count == y.count else { return false }
            return x.entries.allSatisfy { entry in y.value(for: entry.key).map { equal(entry.value, $0) } ?? false }
        default:
            return compareNumbers(a, b) == 0
        }
    }

    /// Code-point equality (not Swift's canonical equivalence, which would call "é" written
    /// two ways equal): the same code points are the same UTF-8 bytes.
    static func sameCodePoints(_ x: String, _ y: String) -> Bool {
        let (a, b) = (x.utf8, y.utf8)
        guard a.count == b.count else { return false }
        let compared = a.withContiguousStorageIfAvailable { a in
            b.withContiguousStorageIfAvailable { b in
                // Names and short values: a loop costs less than a call to memcmp.
                if a.count <= 16 {
                    for index in a.indices where a[index] != b[index] { return false }
                    return true
                }
                return memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0
            }
        }
        if let compared, let compared { return compared }
        return a.elementsEqual(b)
    }

    /// -1, 0 or 1 for two numbers; nil when either is not a number or is NaN.
    static func compareNumbers(_ a: CELValue, _ b: CELValue) -> Int? {
        switch (a, b) {
        case (.int(let x), .int(let y)): return x < y ? -1 : x == y ? 0 : 1
        case (.uint(let x), .uint(let y)): return x < y ? -1 : x == y ? 0 : 1
        case (.double(let x), .double(let y)):
            if x.isNaN || y.isNaN { return nil }
            return x < y ? -1 : x == y ? 0 : 1
        case (.int(let x), .uint(let y)): return x < 0 ? -1 : compare(UInt64(x), y)
        case (.uint(let x), .int(let y)): return y < 0 ? 1 : compare(x, UInt64(y))
        case (.int(let x), .double(let y)): return compareInt(x, y)
        case (.double(let x), .int(let y)): return compareInt(y, x).map { -$0 }
        case (.uint(let x), .double(let y)): return compareUInt(x, y)
        case (.double(let x), .uint(let y)): return compareUInt(y, x).map { -$0 }
        default: return nil
        }
    }

    private static func compare<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : x == y ? 0 : 1 }

    /// An int or uint against a double: as doubles, as the language definition compares them
    /// (so 9223372036854775807 is not less than 9223372036854775808.0).
    private static func compareInt(_ x: Int64, _ y: Double) -> Int? { compareDoubles(Double(x), y) }

    private static func compareUInt(_ x: UInt64, _ y: Double) -> Int? { compareDoubles(Double(x), y) }

    private static func compareDoubles(_ x: Double, _ y: Double) -> Int? {
        if y.isNaN { return nil }
        return x < y ? -1 : x == y ? 0 : 1
    }

    /// `<`, `<=`, `>`, `>=`: numbers across kinds, strings by code point, bytes, bools.
    static func order(_ function: String, _ arguments: [CELValue], _ test: (Int) -> Bool) throws(CELError) -> Bool {
        let a = arguments[0]
        let b = arguments[1]
        switch (a, b) {
        case (.string(let x), .string(let y)):
            return test(x.unicodeScalars.lexicographicallyPrecedes(y.unicodeScalars, by: { $0.value < $1.value })
                ? -1 : x.unicodeScalars.elementsEqual(y.unicodeScalars) ? 0 : 1)
        case (.bytes(let x), .bytes(let y)):
            return test(x.lexicographicallyPrecedes(y) ? -1 : x == y ? 0 : 1)
        case (.bool(let x), .bool(let y)):
            return test(x == y ? 0 : (!x && y) ? -1 : 1)
        case (.timestamp(let x), .timestamp(let y)):
            return test(x < y ? -1 : x == y ? 0 : 1)
        case (.duration(let x), .duration(let y)):
            return test(x < y ? -1 : x == y ? 0 : 1)
        case (.int, _), (.uint, _), (.double, _):
            switch b {
            case .int, .uint, .double:
                // NaN orders with nothing.
                guard let result = compareNumbers(a, b) else { return false }
                return test(result)
            default: throw CELError.noOverload(function, arguments)
            }
        default:
            throw CELError.noOverload(function, arguments)
        }
    }
}
