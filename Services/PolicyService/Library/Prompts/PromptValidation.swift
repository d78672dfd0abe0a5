import PosternProtocol
import PosternRPC

/// ValidatePrompt (docs/prompt-validation.md): a prompt stage's submission checked as
/// authentik's prompt stage checks it — the fields first; if they are acceptable, the stage's
/// validation policies (the bindings on the prompt stage, engine mode all) against a context
/// of the request's users and the validated values only.
struct PromptValidation {
    let engine: PolicyEngine

    func validate(
        _ request: Postern.Policy.V1.ValidatePromptRequest, _ snapshot: ConfigurationSnapshot
    ) throws(RPCError) -> Staged<Postern.Policy.V1.ValidatePromptResponse> {
        let name = try ConfigurationRules.name(request.promptStage, "prompt_stage")
        let context = try PolicyContext.parse(request.contextJSON)
        guard request.promptDataJSON.utf8.count <= PolicyContext.maximumBytes else {
            throw RPCError(
                code: .invalidArgument,
                message: "prompt_data_json is \(request.promptDataJSON.utf8.count) bytes; at most \(PolicyContext.maximumBytes)")
        }
        let submitted: ContextObject
        do {
            submitted = request.promptDataJSON.isEmpty ? ContextObject() : try ContextJSON.parseObject(request.promptDataJSON, root: "prompt_data")
        } catch {
            throw RPCError(code: .invalidArgument, message: "prompt_data_json: \(error.description)")
        }
        let configuration = snapshot.configuration
        guard let stage = configuration.promptStages[name], let target = configuration.targets[TargetKey(.promptStage, name)] else {
            throw RPCError(code: .notFound, message: "there is no prompt stage \(name)")
        }
        let submission = try PromptSubmission(submitted, stage: stage)
        guard submission.acceptable else { return .now(Self.response(submission, verdict: nil)) }
        // The password is about to be set: a uniqueness policy's check is kept for the record.
        let validation = PolicyRequest(context: context.validating(submission.values), reservesHistory: true)
        switch engine.evaluate(target, validation) {
        case .done(let verdict): return .now(Self.response(submission, verdict: verdict))
        case .waits(let body): return .later { Self.response(submission, verdict: await body()) }
        }
    }

    /// The answer: field problems (and, with a failing verdict, the messages of failing
    /// policies that judge one field, under that field); every message of a failing
    /// submission in non_field_errors, as authentik.
    private static func response(_ submission: PromptSubmission, verdict: Verdict?) -> Postern.Policy.V1.ValidatePromptResponse {
        var fields = submission.fieldErrors
        var nonFieldErrors = submission.nonFieldErrors
        // A passing verdict's messages are not errors (authentik shows them as information):
        // they stay in the verdict.
        if let verdict, !verdict.passing {
            nonFieldErrors += verdict.messages
            for (binding, outcome) in zip(verdict.bindings, verdict.outcomes) where !outcome.passing && !outcome.messages.isEmpty {
                guard let field = binding.compiled?.promptField else { continue }
                if let index = fields.firstIndex(where: { $0.key == field }) {
                    fields[index].messages += outcome.messages
                } else {
                    fields.append((field, outcome.messages))
                }
            }
        }
        let valid = submission.acceptable && (verdict?.passing ?? false)
        // Only a valid submission's password is set, so only it carries reservations.
        let reservations = valid ? (verdict?.outcomes ?? []).compactMap { $0.passing ? $0.historyReservation : nil } : []
        return .init(
            valid: valid,
            fields: fields.map { .init(fieldKey: $0.key, messages: $0.messages) },
            nonFieldErrors: nonFieldErrors,
            verdict: verdict?.message(),
            promptDataJSON: submission.values.json,
            historyReservations: reservations.map { .init(fieldKey: $0.field, reservation: $0.token) })
    }
}

extension PolicyContext {
    /// The context of a prompt stage's validation (authentik's): the request's users and
    /// client address, and `prompt_data` the validated values — nothing else of the flow.
    func validating(_ promptData: ContextObject) -> PolicyContext {
        var members: [(key: String, value: ContextValue)] = []
        for key in ["user", "pending_user", "http_request"] {
            if let value = object[key] { members.append((key, value)) }
        }
        members.append(("prompt_data", .object(promptData)))
        return PolicyContext(object: ContextObject(members), user: user, pendingUser: pendingUser)
    }
}
