import Foundation

/// Hashes made at test time by tools that are not Postern (Tests/Vectors/make_hashes.py):
/// Django's make_password, mkpasswd and the argon2 command-line tool.
struct IndependentHashVector: Decodable, Sendable {
    let tool: String
    let family: String
    let password: String
    let encoded: String

    /// Runs the generator once per test process.
    static let all: Result<[IndependentHashVector], any Error> = Result {
        let script = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Vectors/make_hashes.py")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw VectorFailure("make_hashes.py exited \(process.terminationStatus); run scripts/setup")
        }
        return try data.split(separator: UInt8(ascii: "\n")).map {
            try JSONDecoder().decode(IndependentHashVector.self, from: Data($0))
        }
    }
}

struct VectorFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
