import Foundation

/// The type conversions `int()`, `uint()`, `double()`, `string()`, `bytes()`, `bool()`
/// (langdef "Type Conversions"): out of range is an error, never a wrapped value.
enum CELConversions {
    static func convert(_ function: String, _ value: CELValue) throws(CELError) -> CELValue {
        switch (function, value) {
        case ("int", .int), ("uint", .uint), ("double", .double), ("string", .string), ("bytes", .bytes), ("bool", .bool):
            return value
        case ("int", .uint(let x)):
            guard let result = Int64(exactly: x) else { throw CELError("range error converting \(x) to int") }
            return .int(result)
        case ("int", .double(let x)):
            // Doubles at or past ±2^63 do not fit, whatever their rounding.
            guard x.isFinite, x > -9_223_372_036_854_775_809.0, x < 9_223_372_036_854_775_807.0 else {
                throw CELError("range error converting a double to int")
            }
            return .int(Int64(x.rounded(.towardZero)))
        case ("int", .timestamp(let x)): return .int(x.seconds)
        case ("string", .timestamp(let x)): return .string(x.text)
        case ("string", .duration(let x)): return .string(x.text)
        case ("int", .string(let x)):
            guard let result = Int64(x) else { throw CELError("cannot convert the string to int") }
            return .int(result)
        case ("uint", .int(let x)):
            guard let result = UInt64(exactly: x) else { throw CELError("range error converting \(x) to uint") }
            return .uint(result)
        case ("uint", .double(let x)):
            guard x.isFinite, x > -1, x < 18_446_744_073_709_551_615.0 else { throw CELError("range error converting a double to uint") }
            return .uint(UInt64(x.rounded(.towardZero)))
        case ("uint", .string(let x)):
            guard let result = UInt64(x) else { throw CELError("cannot convert the string to uint") }
            return .uint(result)
        case ("double", .int(let x)): return .double(Double(x))
        case ("double", .uint(let x)): return .double(Double(x))
        case ("double", .string(let x)):
            guard let result = Double(x) else { throw CELError("cannot convert the string to double") }
            return .double(result)
        case ("string", .int(let x)): return .string(String(x))
        case ("string", .uint(let x)): return .string(String(x))
        case ("string", .double(let x)): return .string(format(x))
        case ("string", .bool(let x)): return .string(x ? "true" : "false")
        case ("string", .bytes(let x)):
            guard let text = String(validating: x, as: UTF8.self) else { throw CELError("the bytes are not UTF-8") }
            return .string(text)
        case ("bytes", .string(let x)): return .bytes(Array(x.utf8))
        case ("bool", .string(let x)):
            switch x {
            case "true", "True", "TRUE", "t", "1": return .bool(true)
            case "false", "False", "FALSE", "f", "0": return .bool(false)
            default: throw CELError("cannot convert the string to bool")
            }
        default:
            throw CELError.noOverload(function, [value])
        }
    }

    /// A double as CEL prints one: the shortest text that reads back the same.
    static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}
