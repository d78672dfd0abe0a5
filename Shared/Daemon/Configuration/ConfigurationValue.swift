import Logging

/// Turns the text of one configuration value into what a setting holds, or says what is
/// wrong with it in words an operator can act on.
enum ConfigurationValue {
    struct Invalid: Error {
        let message: String
        init(_ message: String) { self.message = message }
    }

    static func integer(_ text: String, in range: ClosedRange<Int>) throws(Invalid) -> Int {
        guard let value = Int(text) else { throw Invalid("\"\(text)\" is not a whole number") }
        guard range.contains(value) else {
            throw Invalid("\(value) is out of range; allowed \(range.lowerBound)…\(range.upperBound)")
        }
        return value
    }

    /// Permission bits in octal, such as `0660`.
    static func fileMode(_ text: String) throws(Invalid) -> UInt32 {
        guard let mode = UInt32(text, radix: 8), mode <= 0o777 else {
            throw Invalid("\"\(text)\" is not an octal file mode such as 0660")
        }
        return mode
    }

    /// A duration with its unit: `250ms`, `10s`, `2m`.
    static func duration(_ text: String, in range: ClosedRange<Duration>) throws(Invalid) -> Duration {
        let units: [(suffix: String, duration: (Int) -> Duration)] = [
            ("ms", { .milliseconds($0) }), ("s", { .seconds($0) }), ("m", { .seconds($0 * 60) }),
            ("h", { .seconds($0 * 3600) }), ("d", { .seconds($0 * 86400) }),
        ]
        for unit in units where text.hasSuffix(unit.suffix) {
            let number = text.dropLast(unit.suffix.count)
            guard let value = Int(number), value >= 0, value <= 1_000_000 else { break }
            let duration = unit.duration(value)
            guard range.contains(duration) else {
                throw Invalid("\(text) is out of range; allowed \(range.lowerBound)…\(range.upperBound)")
            }
            return duration
        }
        throw Invalid("\"\(text)\" is not a duration such as 250ms, 10s or 2m")
    }

    static func boolean(_ text: String) throws(Invalid) -> Bool {
        switch text {
        case "true": return true
        case "false": return false
        default: throw Invalid("\"\(text)\" is neither true nor false")
        }
    }

    static func logLevel(_ text: String) throws(Invalid) -> Logger.Level {
        guard let level = Logger.Level(rawValue: text) else {
            let names = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
            throw Invalid("\"\(text)\" is not a log level; one of \(names)")
        }
        return level
    }

    /// `allow` or `deny`.
    static func allowOrDeny(_ text: String) throws(Invalid) -> Bool {
        switch text {
        case "allow": return true
        case "deny": return false
        default: throw Invalid("\"\(text)\" is neither allow nor deny")
        }
    }

    /// A comma-separated list of user names or numeric uids; empty means nobody.
    static func users(_ text: String) throws(Invalid) -> Set<UInt32> {
        try accounts(text) { (name: String) throws(Invalid) -> UInt32 in
            guard let uid = SystemAccounts.uid(ofUser: name) else { throw Invalid("no user named \"\(name)\"") }
            return uid
        }
    }

    /// A comma-separated list of group names or numeric gids; empty means none.
    static func groups(_ text: String) throws(Invalid) -> Set<UInt32> {
        try accounts(text) { (name: String) throws(Invalid) -> UInt32 in
            try group(name)
        }
    }

    /// One group name or numeric gid.
    static func group(_ text: String) throws(Invalid) -> UInt32 {
        if let gid = UInt32(text) { return gid }
        guard let gid = SystemAccounts.gid(ofGroup: text) else { throw Invalid("no group named \"\(text)\"") }
        return gid
    }

    private static func accounts(
        _ text: String, resolve: (String) throws(Invalid) -> UInt32
    ) throws(Invalid) -> Set<UInt32> {
        var result: Set<UInt32> = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let name = item.trimmingSpaces
            guard !name.isEmpty else {
                if text.trimmingSpaces.isEmpty { return [] }
                throw Invalid("\"\(text)\" has an empty entry")
            }
            if let number = UInt32(name) {
                result.insert(number)
            } else {
                result.insert(try resolve(name))
            }
        }
        return result
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
