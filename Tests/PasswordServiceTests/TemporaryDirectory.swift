import Foundation

/// A fresh directory under /tmp, removed when `body` returns or throws.
func withTemporaryDirectory<R>(_ body: (String) async throws -> R) async throws -> R {
    let path = "/tmp/postern-pst-\(UUID().uuidString.prefix(8))"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try await body(path)
}
