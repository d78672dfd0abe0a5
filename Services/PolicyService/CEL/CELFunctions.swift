import Foundation

/// CEL's operators and standard functions (langdef "Functions"), over evaluated arguments.
enum CELFunctions {
    static func select(_ value: CELValue, _ field: String) throws(CELError) -> CELValue {
        guard case .map(let map) = value else {
            throw CELError("field selection applies to a map, not to a value of type \(value.type.rawValue)")
        }
        guard let found = map[field] else { throw CELError("no such key: \(field)") }
        return found
    }

    static func call(_ function: String, receiver: Bool, _ arguments: [CELValue]) throws(CELError) -> CELValue {
        switch (function, arguments.count) {
        case ("_+_", 2): return try CELArithmetic.add(arguments[0], arguments[1])
        case ("_-_", 2): return try CELArithmetic.subtract(arguments[0], arguments[1])
        case ("_*_", 2): return try CELArithmetic.multiply(arguments[0], arguments[1])
        case ("_/_", 2): return try CELArithmetic.divide(arguments[0], arguments[1])
        case ("_%_", 2): return try CELArithmetic.remainder(arguments[0], arguments[1])
        case ("-_", 1): return try CELArithmetic.negate(arguments[0])
        case ("!_", 1):
            guard case .bool(let value) = arguments[0] else { throw CELError.noOverload(function, arguments) }
            return .bool(!value)
        case ("_==_", 2): return .bool(CELEquality.equal(arguments[0], arguments[1]))
        case ("_!=_", 2): return .bool(!CELEquality.equal(arguments[0], arguments[1]))
        case ("_<_", 2): return .bool(try CELEquality.order(function, arguments) { $0 < 0 })
        case ("_<=_", 2): return .bool(try CELEquality.order(function, arguments) { $0 <= 0 })
        case ("_>_", 2): return .bool(try CELEquality.order(function, arguments) { $0 > 0 })
        case ("_>=_", 2): return .bool(try CELEquality.order(function, arguments) { $0 >= 0 })
        case ("@in", 2): return .bool(try contains(arguments[1], arguments[0]))
        case ("_[_]", 2): return try index(arguments[0], arguments[1])
        case ("size", 1): return try size(arguments[0])
        case ("contains", 2), ("startsWith", 2), ("endsWith", 2):
            guard receiver, case .string(let text) = arguments[0], case .string(let part) = arguments[1] else {
                throw CELError.noOverload(function, arguments)
            }
            return .bool(function == "contains" ? (part.isEmpty || text.unicodeScalars.contains(part.unicodeScalars))
                : function == "startsWith" ? text.unicodeScalars.starts(with: part.unicodeScalars)
                : text.unicodeScalars.reversed().starts(with: part.unicodeScalars.reversed()))
        case ("int", 1), ("uint", 1), ("double", 1), ("string", 1), ("bytes", 1), ("bool", 1):
            guard !receiver else { throw CELError.noOverload(function, arguments) }
            return try CELConversions.convert(function, arguments[0])
        case ("timestamp", 1):
            guard !receiver else { throw CELError.noOverload(function, arguments) }
            return try CELTimeFunctions.timestamp(arguments[0])
        case ("duration", 1):
            guard !receiver else { throw CELError.noOverload(function, arguments) }
            return try CELTimeFunctions.duration(arguments[0])
        case ("type", 1):
            guard !receiver else { throw CELError.noOverload(function, arguments) }
            return .type(arguments[0].type)
        case ("dyn", 1):
            guard !receiver else { throw CELError.noOverload(function, arguments) }
            return arguments[0]
        case (let name, _) where receiver && CELTimeFunctions.accessors.contains(name):
            return try CELTimeFunctions.accessor(name, arguments)
        default:
            throw CELError("no function \(function) taking \(arguments.count - (receiver ? 1 : 0)) argument(s)")
        }
    }

    private static func size(_ value: CELValue) throws(CELError) -> CELValue {
        switch value {
        case .string(let text): .int(Int64(text.unicodeScalars.count))
        case .bytes(let bytes): .int(Int64(bytes.count))
        case .list(let list): .int(Int64(list.count))
        case .map(let map): .int(Int64(map.count))
        default: throw CELError.noOverload("size", [value])
        }
    }

    private static func contains(_ container: CELValue, _ element: CELValue) throws(CELError) -> Bool {
        switch container {
        case .list(let list): return list.contains { CELEquality.equal($0, element) }
        case .map(let map): return map.value(for: element) != nil
        default: throw CELError.noOverload("@in", [element, container])
        }
    }

    private static func index(_ container: CELValue, _ key: CELValue) throws(CELError) -> CELValue {
        switch container {
        case .list(let list):
            let position: Int64
            switch key {
            case .int(let value): position = value
            case .uint(let value): position = value > UInt64(Int64.max) ? -1 : Int64(value)
            case .double(let value):
                guard let exact = Int64(exactly: value) else { throw CELError("a list index must be a whole number, not \(value)") }
                position = exact
            default: throw CELError.noOverload("_[_]", [container, key])
            }
            guard position >= 0, position < list.count else { throw CELError("index \(position) out of range for a list of \(list.count)") }
            return list[Int(position)]
        case .map(let map):
            switch key {
            case .int, .uint, .bool, .string, .double: break
            default: throw CELError.noOverload("_[_]", [container, key])
            }
            guard let value = map.value(for: key) else { throw CELError("no such key") }
            return value
        default:
            throw CELError.noOverload("_[_]", [container, key])
        }
    }
}
