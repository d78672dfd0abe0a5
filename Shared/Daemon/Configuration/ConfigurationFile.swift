#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The configuration file format: UTF-8 text, one `key = value` per line, `#` starting a
/// comment line, blank lines ignored. Keys are those of `ConfigurationKey.all`.
enum ConfigurationFile {
    /// Larger files are refused unread: a configuration file is a few hundred bytes.
    static let maximumSize = 1 << 20

    struct Entry {
        let key: String
        let value: String
        let line: Int
    }

    /// Reads `path`, or says why it cannot.
    static func read(_ path: String) throws(ConfigurationValue.Invalid) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .init("cannot open: \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw .init("cannot stat: \(String(cString: strerror(errno)))") }
        guard status.st_mode & S_IFMT == S_IFREG else { throw .init("not a regular file") }
        guard status.st_size <= maximumSize else {
            throw .init("\(status.st_size) bytes; a configuration file holds at most \(maximumSize)")
        }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { throw .init("cannot read: \(String(cString: strerror(errno)))") }
            if count == 0 { return bytes }
            bytes += chunk[..<count]
            guard bytes.count <= maximumSize else { throw .init("grew past \(maximumSize) bytes while being read") }
        }
    }

    /// Splits the text into entries; every line that is not one becomes a problem.
    static func parse(_ bytes: [UInt8], path: String) -> (entries: [Entry], problems: [(line: Int, ConfigurationProblem)]) {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            return ([], [(0, ConfigurationProblem(source: path, message: "not valid UTF-8"))])
        }
        var entries: [Entry] = []
        var problems: [(line: Int, ConfigurationProblem)] = []
        var seen: [String: Int] = [:]
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            let source = "\(path):\(number)"
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            let content = line.trimmingSpaces
            if content.isEmpty || content.hasPrefix("#") { continue }
            guard let equals = content.firstIndex(of: "=") else {
                problems.append((number, ConfigurationProblem(source: source, message: "expected `key = value`")))
                continue
            }
            let key = content[..<equals].trimmingSpaces
            let value = content[content.index(after: equals)...].trimmingSpaces
            guard ConfigurationKey.named(key) != nil else {
                problems.append((number, ConfigurationProblem(source: source, message: "unknown key \"\(key)\"")))
                continue
            }
            if let first = seen[key] {
                problems.append((number, ConfigurationProblem(source: source, message: "\(key) is already set on line \(first)")))
                continue
            }
            seen[key] = number
            entries.append(Entry(key: key, value: value, line: number))
        }
        return (entries, problems)
    }
}
