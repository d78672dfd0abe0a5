import ArgumentParser
import Foundation
import PosternClient

/// `--flow` / `--stage` of `password set` and `change`: which change flow validates the new
/// password first (docs/cli.md "Password changes obey the change flow").
struct ChangeFlowOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Validate the new password first with this change flow in postern-policy (its prompt stages' validation policies), as the IdP does.",
        valueName: "slug"))
    var flow: String?
    @Option(help: ArgumentHelp("Validate with the change flow of this password stage (its configuration_flow).", valueName: "stage"))
    var stage: String?

    func validate() throws {
        guard flow == nil || stage == nil else { throw ValidationError("give --flow or --stage, not both") }
        if let flow, flow.isEmpty { throw ValidationError("--flow needs a flow's slug") }
        if let stage, stage.isEmpty { throw ValidationError("--stage needs a password stage's name") }
    }

    var requested: Bool { flow != nil || stage != nil }
}

/// What a change flow said about a new password.
struct ChangeFlowVerdict {
    let flow: String
    let valid: Bool
    /// What refused it, as a person reads them: the validation's messages, a field's as `field: message`.
    let messages: [String]
    /// postern-history's reservation for the password, to pass to Set or Change.
    let reservation: String
}

/// Runs a change flow's validation of a new password, as an IdP would run the flow for the
/// user: the plan for the user (the flow's own policies), then each planned prompt stage with a
/// password field — its "when the stage runs" policies if its binding re-evaluates them, then
/// ValidatePrompt with every password field holding the new password. The first stage that
/// refuses ends it, as a flow stops at the stage that refuses.
enum ChangeFlowValidation {
    static func run(
        _ options: ChangeFlowOptions, user: Postern.Password.V1.User, password: String, sockets: PasswordChangeSockets
    ) async throws -> ChangeFlowVerdict {
        let flow = try await flowSlug(options, sockets)
        let context = try contextJSON(user)
        return try await withDaemon(.policy, sockets) { client throws(RPCError) in
            let plan = try await client.call(Postern.Policy.V1.Engine.plan, .init(flow: flow, contextJSON: context))
            guard plan.applicable else {
                return ChangeFlowVerdict(flow: flow, valid: false, messages: [plan.denial], reservation: "")
            }
            var validated = false
            var reservation = ""
            for planned in plan.stages where planned.stageKind == .prompt {
                if planned.evaluateWhenRun {
                    let now = try await client.call(
                        Postern.Policy.V1.Engine.evaluateStage,
                        .init(flow: flow, stageBindingID: planned.stageBindingID, contextJSON: context))
                    guard now.run else { continue }
                }
                let stage = try await client.call(Postern.Policy.V1.PromptStages.get, .init(name: planned.stage))
                let keys = stage.fields.filter { $0.type == .password }.map(\.fieldKey)
                guard !keys.isEmpty else { continue }
                // Strings only, so this cannot fail; if it did, nothing would be validated.
                guard let submission = try? promptData(keys, password) else {
                    throw RPCError(code: .internal, message: "the new password could not be written as prompt data")
                }
                let answer = try await client.call(
                    Postern.Policy.V1.Engine.validatePrompt,
                    .init(promptStage: planned.stage, promptDataJSON: submission, contextJSON: context))
                validated = true
                guard answer.valid else {
                    return ChangeFlowVerdict(flow: flow, valid: false, messages: messages(answer), reservation: "")
                }
                if reservation.isEmpty, let first = answer.historyReservations.first { reservation = first.reservation }
            }
            guard validated else {
                throw RPCError(
                    code: .failedPrecondition,
                    message: "flow \(flow) plans no prompt stage with a password field for this user, so nothing would "
                        + "validate the password; bind one (postern stage-binding create) or leave out --flow/--stage")
            }
            return ChangeFlowVerdict(flow: flow, valid: true, messages: [], reservation: reservation)
        }
    }

    /// `--flow`, or the `configuration_flow` of the password stage `--stage` names.
    private static func flowSlug(_ options: ChangeFlowOptions, _ sockets: PasswordChangeSockets) async throws -> String {
        if let flow = options.flow { return flow }
        let name = options.stage ?? ""
        let stage = try await withDaemon(.password, sockets) { client throws(RPCError) in
            try await client.call(Postern.Password.V1.Stages.get, .init(name: name))
        }
        guard !stage.configurationFlow.isEmpty else {
            printError(
                "postern: password stage \(name) has no configuration_flow; set one (postern stage update \(name) "
                    + "--configuration-flow SLUG) or give --flow")
            throw ExitCode(ExitStatus.failed)
        }
        return stage.configurationFlow
    }

    /// The request's context: the user the password is for, as the flow's pending user.
    static func contextJSON(_ user: Postern.Password.V1.User) throws -> String {
        var pending: [String: Any] = ["id": user.id, "username": user.username, "is_active": user.isActive]
        if !user.name.isEmpty { pending["name"] = user.name }
        if let attributes = try? JSONSerialization.jsonObject(with: Data(user.attributesJSON.utf8)) as? [String: Any],
            !attributes.isEmpty
        {
            pending["attributes"] = attributes
            // postern-password keeps no email of its own; an `email` attribute is the user's.
            if let email = attributes["email"] as? String, !email.isEmpty { pending["email"] = email }
        }
        let data = try JSONSerialization.data(withJSONObject: ["pending_user": pending], options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    static func promptData(_ keys: [String], _ password: String) throws -> String {
        let values = Dictionary(keys.map { ($0, password) }, uniquingKeysWith: { first, _ in first })
        return String(decoding: try JSONSerialization.data(withJSONObject: values, options: [.sortedKeys]), as: UTF8.self)
    }

    /// Every message once: the non-field errors, then field problems not already among them.
    static func messages(_ answer: Postern.Policy.V1.ValidatePromptResponse) -> [String] {
        var messages = answer.nonFieldErrors
        for field in answer.fields {
            for message in field.messages where !messages.contains(message) {
                messages.append("\(field.fieldKey): \(message)")
            }
        }
        return messages.isEmpty ? ["the change flow's validation failed without a message"] : messages
    }
}
