/// Arithmetic (langdef "Arithmetic"): int and uint overflow are errors, as are division and
/// remainder by zero; double follows IEEE 754; operands of different kinds have no overload.
enum CELArithmetic {
    static func add(_ a: CELValue, _ b: CELValue) throws(CELError) -> CELValue {
        switch (a, b) {
        case (.int(let x), .int(let y)): return .int(try checked(x.addingReportingOverflow(y), "+"))
        case (.uint(let x), .uint(let y)): return .uint(try checked(x.addingReportingOverflow(y), "+"))
        case (.double(let x), .double(let y)): return .double(x + y)
        case (.string(let x), .string(let y)): return .string(x + y)
        case (.bytes(let x), .bytes(let y)): return .bytes(x + y)
        case (.list(let x), .list(let y)): return .list(x + y)
        case (.timestamp(let t), .duration(let d)), (.duration(let d), .timestamp(let t)): return .timestamp(try CELTimeFunctions.add(t, d))
        case (.duration(let x), .duration(let y)): return .duration(try CELTimeFunctions.add(x, y))
        default: throw CELError.noOverload("_+_", [a, b])
        }
    }

    static func subtract(_ a: CELValue, _ b: CELValue) throws(CELError) -> CELValue {
        switch (a, b) {
        case (.int(let x), .int(let y)): return .int(try checked(x.subtractingReportingOverflow(y), "-"))
        case (.uint(let x), .uint(let y)): return .uint(try checked(x.subtractingReportingOverflow(y), "-"))
        case (.double(let x), .double(let y)): return .double(x - y)
        case (.timestamp(let x), .timestamp(let y)): return .duration(try CELTimeFunctions.difference(x, y))
        case (.timestamp(let t), .duration(let d)): return .timestamp(try CELTimeFunctions.add(t, try CELTimeFunctions.negate(d)))
        case (.duration(let x), .duration(let y)): return .duration(try CELTimeFunctions.add(x, try CELTimeFunctions.negate(y)))
        default: throw CELError.noOverload("_-_", [a, b])
        }
    }

    static func multiply(_ a: CELValue, _ b: CELValue) throws(CELError) -> CELValue {
        switch (a, b) {
        case (.int(let x), .int(let y)): return .int(try checked(x.multipliedReportingOverflow(by: y), "*"))
        case (.uint(let x), .uint(let y)): return .uint(try checked(x.multipliedReportingOverflow(by: y), "*"))
        case (.double(let x), .double(let y)): return .double(x * y)
        default: throw CELError.noOverload("_*_", [a, b])
        }
    }

    static func divide(_ a: CELValue, _ b: CELValue) throws(CELError) -> CELValue {
        switch (a, b) {
        case (.int(let x), .int(let y)):
            guard y != 0 else { throw CELError("division by zero") }
            return .int(try checked(x.dividedReportingOverflow(by: y), "/"))
        case (.uint(let x), .uint(let y)):
            guard y != 0 else { throw CELError("division by zero") }
            return .uint(x / y)
        case (.double(let x), .double(let y)): return .double(x / y)
        default: throw CELError.noOverload("_/_", [a, b])
        }
    }

    static func remainder(_ a: CELValue, _ b: CELValue) throws(CELError) -> CELValue {
        switch (a, b) {
        case (.int(let x), .int(let y)):
            guard y != 0 else { throw CELError("modulus by zero") }
            return .int(try checked(x.remainderReportingOverflow(dividingBy: y), "%"))
        case (.uint(let x), .uint(let y)):
            guard y != 0 else { throw CELError("modulus by zero") }
            return .uint(x % y)
        default: throw CELError.noOverload("_%_", [a, b])
        }
    }

    static func negate(_ a: CELValue) throws(CELError) -> CELValue {
        switch a {
        case .int(let x): return .int(try checked(Int64(0).subtractingReportingOverflow(x), "-"))
        case .double(let x): return .double(-x)
        case .duration(let x): return .duration(try CELTimeFunctions.negate(x))
        default: throw CELError.noOverload("-_", [a])
        }
    }

    private static func checked<T>(_ result: (partialValue: T, overflow: Bool), _ operation: String) throws(CELError) -> T {
        guard !result.overflow else { throw CELError("return error for overflow (\(operation))") }
        return result.partialValue
    }
}
