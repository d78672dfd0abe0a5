/// A token of the CEL grammar (google/cel-spec doc/langdef.md, "Syntax").
enum CELToken: Equatable {
    case int(Int64)
    /// A decimal or hex literal too large for int64: only `-9223372036854775808` uses it.
    case intOverflow(String)
    case uint(UInt64)
    case double(Double)
    case string(String)
    case bytes([UInt8])
    case identifier(String)
    /// A field name in backquotes: `{'content-type': 1}.\`content-type\``.
    case quotedIdentifier(String)
    case trueLiteral, falseLiteral, null
    /// Punctuation and operators: `?`, `:`, `||`, `&&`, `!`, `==`, `!=`, `<`, `<=`, `>`, `>=`,
    /// `+`, `-`, `*`, `/`, `%`, `.`, `,`, `[`, `]`, `{`, `}`, `(`, `)`, `in`.
    case symbol(String)
    case end
}

/// Where a token starts.
struct CELPosition: Equatable {
    var line: Int
    var column: Int
}
