import ArgumentParser
import Foundation
import PosternClient

/// postern-policy only.
struct PolicySockets: DaemonSockets {
    @Option(help: ArgumentHelp(
        "postern-policy's socket (default: $\(DaemonIdentity.policy.socketEnvironmentVariable), else \(DaemonIdentity.policy.defaultSocketPath)).",
        valueName: "path"))
    var policySocket: String?
    @Option(help: ArgumentHelp("Seconds to wait for the daemon's answer.", valueName: "seconds")) var timeout: Double = 5

    func flag(for daemon: DaemonIdentity) -> String? { daemon == .policy ? policySocket : nil }
    func validate() throws { try Self.check(timeout: timeout) }
}

/// A connection to postern-policy.
func withPolicyDaemon<T>(_ sockets: PolicySockets, _ body: (RPCClient) async throws(RPCError) -> T) async throws -> T {
    try await withDaemon(.policy, sockets, body)
}

/// What the policy commands share: parsing names of enumerations, reading a context file.
enum PolicyCLI {
    /// The value of `E` named `name` (`any`, `dummy`, `stage_configuration`), `-` read as `_`.
    static func named<E: ProtoEnum>(_ type: E.Type, _ name: String, option: String) throws -> E {
        let wanted = name.replacingOccurrences(of: "-", with: "_")
        guard let value = E.allCases.first(where: { $0.name == wanted && $0.name != "unspecified" }) else {
            let names = E.allCases.map(\.name).filter { $0 != "unspecified" }.joined(separator: ", ")
            throw ValidationError("\(option) \"\(name)\" is not one of: \(names)")
        }
        return value
    }

    /// The text of a context file (`-`: standard input); none is `{}`. The daemon checks it.
    static func context(_ path: String?) throws -> String {
        guard let path else { return "{}" }
        let data: Data?
        if path == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            data = FileManager.default.contents(atPath: path)
        }
        guard let data else {
            printError("postern: cannot read the context file \(path)")
            throw ExitCode(ExitStatus.usage)
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            printError("postern: the context file \(path) is not UTF-8 text")
            throw ExitCode(ExitStatus.usage)
        }
        return text
    }

    /// `flow:SLUG`, `stage-binding:ID` or `prompt-stage:NAME`.
    static func target(_ text: String) throws -> Postern.Policy.V1.Target {
        guard let colon = text.firstIndex(of: ":") else {
            throw ValidationError("a target is flow:SLUG, stage-binding:ID or prompt-stage:NAME, not \"\(text)\"")
        }
        let kind = try named(Postern.Policy.V1.TargetKind.self, String(text[..<colon]), option: "the target kind")
        return .init(kind: kind, name: String(text[text.index(after: colon)...]))
    }

    static func targetText(_ target: Postern.Policy.V1.Target?) -> String {
        guard let target else { return "" }
        return target.kind.name.replacingOccurrences(of: "_", with: "-") + ":" + target.name
    }
}

/// `--context FILE`.
struct ContextOption: ParsableArguments {
    @Option(help: ArgumentHelp("A JSON file of the request's context (docs/policy-context.md); - reads standard input.", valueName: "file"))
    var context: String?
}
