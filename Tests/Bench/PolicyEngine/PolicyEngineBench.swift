import ArgumentParser
import Foundation
import PolicyService

/// scripts/bench policy's in-process measurement of the engine: prints the nanoseconds of one
/// evaluation of 5 policy bindings, and the nanoseconds each binding adds (the slope between
/// 0 and 64 bindings), and of one run of the seed's WebAuthn expression. An argument parser of its own, so that `swift package plugin
/// generate-manual`, which asks every executable for its help, gets an answer.
@main
struct PolicyEngineBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "postern-bench-policy-engine",
        abstract: "Measure postern-policy's engine in process (for scripts/bench policy).")

    func run() throws {
        let context = #"{"pending_user": {"id": "7f9c2ba4e88f827d616045507605853e", "username": "alice", "groups": ["staff", "engineering"]}}"#
        let none = try EngineBenchmark.nanosecondsPerEvaluation(bindings: 0, contextJSON: context)
        let five = try EngineBenchmark.nanosecondsPerEvaluation(bindings: 5, contextJSON: context)
        let many = try EngineBenchmark.nanosecondsPerEvaluation(bindings: 64, contextJSON: context, iterations: 5000)
        // A pending user with a confirmed WebAuthn device among three: the expression's answer
        // needs the whole walk.
        let login = #"{"pending_user": {"id": "u1", "username": "alice", "devices": [{"type": "totp", "confirmed": true}, {"type": "duo", "confirmed": false}, {"type": "webauthn", "confirmed": true}]}}"#
        let expression = try EngineBenchmark.expressionNanoseconds(EngineBenchmark.webAuthnExpression, contextJSON: login)
        print(String(format: "%.0f %.1f %.0f", five, (many - none) / 64, expression))
    }
}
