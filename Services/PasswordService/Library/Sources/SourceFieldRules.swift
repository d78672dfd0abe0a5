import Foundation
import PosternRPC

/// The rules every source's settings share: names, bounded numbers, text without controls.
enum SourceFieldRules {
    static let maximumNameCharacters = 64
    static let maximumTextBytes = 1024

    static func name(_ name: String) throws(RPCError) {
        guard !name.isEmpty, name.count <= maximumNameCharacters,
              name.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "-_.".unicodeScalars.contains($0)) })
        else { throw invalid("name must be 1…\(maximumNameCharacters) letters, digits, '-', '_' or '.'") }
    }

    /// `value`, or `fallback` for 0, at most `maximum`.
    static func bounded(_ value: UInt32, _ field: String, default fallback: UInt32, maximum: UInt32) throws(RPCError) -> UInt32 {
        let resolved = value == 0 ? fallback : value
        guard resolved <= maximum else { throw invalid("\(field) is \(value); at most \(maximum)") }
        return resolved
    }

    static func text(_ value: String, _ field: String) throws(RPCError) {
        guard value.utf8.count <= maximumTextBytes else { throw invalid("\(field) is longer than \(maximumTextBytes) bytes") }
        guard !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw invalid("\(field) holds a control character")
        }
    }

    private static func invalid(_ message: String) -> RPCError { RPCError(code: .invalidArgument, message: message) }
}
