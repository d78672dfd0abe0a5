import Foundation

/// Search filters with a user's name in them, escaped per RFC 4515 §3: `*`, `(`, `)`, `\` and
/// NUL become `\2a`, `\28`, `\29`, `\5c` and `\00`, so a username such as `*)(uid=*` is matched
/// literally — by nobody — instead of widening the filter.
public enum LDAPFilter {
    /// The placeholder a filter template holds for the username.
    public static let placeholder = "{username}"

    /// `value` as an assertion value in a filter.
    public static func escape(_ value: String) -> String {
        var escaped = ""
        escaped.unicodeScalars.reserveCapacity(value.unicodeScalars.count)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "*": escaped += "\\2a"
            case "(": escaped += "\\28"
            case ")": escaped += "\\29"
            case "\\": escaped += "\\5c"
            case "\0": escaped += "\\00"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }

    /// The template with every placeholder replaced by the escaped username.
    public static func filling(_ template: String, username: String) -> String {
        template.replacingPlaceholder(with: escape(username))
    }

    /// Why `template` cannot be a filter template, or nil: it must be one parenthesised filter
    /// whose parentheses balance, holding the placeholder at least once.
    public static func problem(inTemplate template: String) -> String? {
        guard template.hasPrefix("("), template.hasSuffix(")") else { return "must be a filter in parentheses, such as (uid={username})" }
        guard template.contains(placeholder) else { return "must contain \(placeholder)" }
        var depth = 0
        var escaped = false
        for character in template.unicodeScalars {
            if escaped { escaped = false; continue }
            switch character {
            case "\\": escaped = true
            case "(": depth += 1
            case ")":
                depth -= 1
                if depth < 0 { return "has a \")\" without its \"(\"" }
            case "\0": return "holds a NUL"
            default: break
            }
        }
        return depth == 0 ? nil : "has a \"(\" without its \")\""
    }
}

extension String {
    fileprivate func replacingPlaceholder(with value: String) -> String {
        var result = ""
        var rest = Substring(self)
        while let range = rest.range(of: LDAPFilter.placeholder) {
            result += rest[..<range.lowerBound]
            result += value
            rest = rest[range.upperBound...]
        }
        result += rest
        return result
    }
}
