import PosternClient

/// The `--json` shapes of the policy commands (docs/cli.md): snake_case keys, every key present.
enum PolicyShape {
    private static func text(_ value: String) -> JSONValue { value.isEmpty ? .null : .string(value) }
    private static func strings(_ values: [String]) -> JSONValue { .array(values.map(JSONValue.string)) }

    static func policy(_ policy: Postern.Policy.V1.Policy) -> JSONValue {
        var settings: [String: JSONValue] = [:]
        if let dummy = policy.dummy {
            settings = ["result": .bool(dummy.result), "wait_min": .integer(Int64(dummy.waitMin)), "wait_max": .integer(Int64(dummy.waitMax))]
        }
        if let expression = policy.expression { settings = ["expression": .string(expression.expression)] }
        if let expiry = policy.passwordExpiry {
            settings = ["days": .integer(Int64(expiry.days)), "deny_only": .bool(expiry.denyOnly)]
        }
        if let unique = policy.passwordUniqueness {
            settings = [
                "password_field": .string(unique.passwordField.isEmpty ? "password" : unique.passwordField),
                "num_historical_passwords": .integer(Int64(unique.numHistoricalPasswords?.value ?? 1)),
            ]
        }
        if let password = policy.password {
            settings = [
                "password_field": .string(password.passwordField.isEmpty ? "password" : password.passwordField),
                "check_static_rules": .bool(password.checkStaticRules?.on ?? true),
                "length_min": .integer(Int64(password.lengthMin)), "length_max": .integer(Int64(password.lengthMax)),
                "amount_digits": .integer(Int64(password.amountDigits)), "amount_lowercase": .integer(Int64(password.amountLowercase)),
                "amount_uppercase": .integer(Int64(password.amountUppercase)), "amount_symbols": .integer(Int64(password.amountSymbols)),
                "symbol_charset": text(password.symbolCharset), "error_message": text(password.errorMessage),
                "similar_to_user": .bool(password.similarToUser),
            ]
        }
        return .object([
            "name": .string(policy.name), "type": .string(policy.type.name), "execution_logging": .bool(policy.executionLogging),
            "settings": .object(settings),
        ])
    }

    static func flow(_ flow: Postern.Policy.V1.Flow) -> JSONValue {
        .object([
            "slug": .string(flow.slug), "name": .string(flow.name), "designation": .string(flow.designation.name),
            "engine_mode": .string(flow.engineMode.name),
        ])
    }

    static func stageBinding(_ binding: Postern.Policy.V1.StageBinding) -> JSONValue {
        .object([
            "id": .string(binding.id), "flow": .string(binding.flow), "stage": .string(binding.stage),
            "stage_kind": .string(binding.stageKind.name), "order": .integer(Int64(binding.order)),
            "evaluate_on_plan": .bool(binding.evaluateOnPlan), "re_evaluate_policies": .bool(binding.reEvaluatePolicies?.on ?? true),
            "engine_mode": .string(binding.engineMode.name),
        ])
    }

    static func promptStage(_ stage: Postern.Policy.V1.PromptStage) -> JSONValue {
        .object([
            "name": .string(stage.name),
            "fields": .array(stage.fields.map { field in
                .object([
                    "field_key": .string(field.fieldKey), "label": .string(field.label), "type": .string(field.type.name),
                    "required": .bool(field.required),
                ])
            }),
        ])
    }

    static func binding(_ binding: Postern.Policy.V1.Binding) -> JSONValue {
        .object([
            "id": .string(binding.id), "target": .string(PolicyCLI.targetText(binding.target)),
            "policy": text(binding.policy), "user": text(binding.user), "group": text(binding.group),
            "order": .integer(Int64(binding.order)), "enabled": .bool(binding.enabled?.on ?? true), "negate": .bool(binding.negate),
            "timeout_seconds": .integer(Int64(binding.timeoutSeconds)), "failure_result": .bool(binding.failureResult),
        ])
    }

    static func verdict(_ verdict: Postern.Policy.V1.Verdict) -> JSONValue {
        .object([
            "passing": .bool(verdict.passing), "messages": strings(verdict.messages),
            "results": .array(verdict.results.map { result in
                .object([
                    "binding_id": .string(result.bindingID), "order": .integer(Int64(result.order)),
                    "policy": text(result.policy), "user": text(result.user), "group": text(result.group),
                    "passing": .bool(result.passing), "messages": strings(result.messages), "errored": .bool(result.errored),
                    "timed_out": .bool(result.timedOut), "duration_micros": .integer(Int64(clamping: result.durationMicros)),
                ])
            }),
        ])
    }

    static func plan(_ plan: Postern.Policy.V1.PlanResponse) -> JSONValue {
        func stage(_ stage: Postern.Policy.V1.PlannedStage) -> JSONValue {
            .object([
                "stage_binding_id": .string(stage.stageBindingID), "stage": .string(stage.stage),
                "stage_kind": .string(stage.stageKind.name), "order": .integer(Int64(stage.order)),
                "evaluate_when_run": .bool(stage.evaluateWhenRun), "plan_verdict": stage.planVerdict.map(verdict) ?? .null,
            ])
        }
        return .object([
            "applicable": .bool(plan.applicable), "denial": text(plan.denial),
            "flow_verdict": plan.flowVerdict.map(verdict) ?? .null,
            "stages": .array(plan.stages.map(stage)), "skipped": .array(plan.skipped.map(stage)),
        ])
    }

    static func test(_ answer: Postern.Policy.V1.TestPolicyResponse) -> JSONValue {
        .object([
            "passing": .bool(answer.passing), "messages": strings(answer.messages), "log_messages": strings(answer.logMessages),
            "errored": .bool(answer.errored), "timed_out": .bool(answer.timedOut),
            "duration_micros": .integer(Int64(clamping: answer.durationMicros)),
        ])
    }
}

/// The human text of the policy commands.
enum PolicyText {
    private static func table(_ header: [String], _ rows: [[String]], noun: String, plural: String? = nil) -> String {
        var widths = header.map(\.count)
        for row in rows { for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                index == cells.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
        return ([line(header)] + rows.map(line) + ["\(rows.count) \(rows.count == 1 ? noun : plural ?? noun + "s")"]).joined(separator: "\n")
    }

    static func settings(_ policy: Postern.Policy.V1.Policy) -> String {
        if let expression = policy.expression { return expression.expression }
        if let password = policy.password { return passwordRules(password) }
        if let expiry = policy.passwordExpiry {
            return "expires \(expiry.days) days after a change" + (expiry.denyOnly ? ", then denied" : ", then must be changed")
        }
        if let unique = policy.passwordUniqueness {
            return "field \(unique.passwordField.isEmpty ? "password" : unique.passwordField): "
                + "not one of the last \(unique.numHistoricalPasswords?.value ?? 1)"
        }
        guard let dummy = policy.dummy else { return "" }
        return "result \(dummy.result), wait \(dummy.waitMin)…\(dummy.waitMax) s"
    }

    /// "length 8…64, 1 digit, 2 symbols, not like the user" — what a password policy asks.
    static func passwordRules(_ password: Postern.Policy.V1.PasswordSettings) -> String {
        var rules: [String] = []
        if password.checkStaticRules?.on ?? true {
            if password.lengthMin > 0 || password.lengthMax > 0 {
                rules.append("length \(password.lengthMin)…" + (password.lengthMax > 0 ? "\(password.lengthMax)" : ""))
            }
            for (count, noun) in [(password.amountDigits, "digit"), (password.amountLowercase, "lowercase"),
                                  (password.amountUppercase, "uppercase"), (password.amountSymbols, "symbol")] where count > 0 {
                rules.append("\(count) \(noun)")
            }
        }
        if password.similarToUser { rules.append("not like the user") }
        let field = password.passwordField.isEmpty ? "password" : password.passwordField
        return "field \(field): " + (rules.isEmpty ? "no rules" : rules.joined(separator: ", "))
    }

    static func policy(_ policy: Postern.Policy.V1.Policy) -> String {
        [
            "name:               \(policy.name)",
            "type:               \(policy.type.name)",
            "settings:           \(settings(policy))",
            "execution logging:  \(policy.executionLogging ? "on" : "off")",
        ].joined(separator: "\n")
    }

    static func policies(_ policies: [Postern.Policy.V1.Policy]) -> String {
        table(["NAME", "TYPE", "SETTINGS"], policies.map { [$0.name, $0.type.name, settings($0)] }, noun: "policy", plural: "policies")
    }

    static func flow(_ flow: Postern.Policy.V1.Flow) -> String {
        [
            "slug:         \(flow.slug)",
            "name:         \(flow.name)",
            "designation:  \(flow.designation.name)",
            "engine mode:  \(flow.engineMode.name)",
        ].joined(separator: "\n")
    }

    static func flows(_ flows: [Postern.Policy.V1.Flow]) -> String {
        table(["SLUG", "DESIGNATION", "MODE", "NAME"], flows.map { [$0.slug, $0.designation.name, $0.engineMode.name, $0.name] }, noun: "flow")
    }

    static func stageBinding(_ binding: Postern.Policy.V1.StageBinding) -> String {
        [
            "id:                    \(binding.id)",
            "flow:                  \(binding.flow)",
            "stage:                 \(binding.stage) (\(binding.stageKind.name))",
            "order:                 \(binding.order)",
            "evaluate on plan:      \(binding.evaluateOnPlan)",
            "re-evaluate when run:  \(binding.reEvaluatePolicies?.on ?? true)",
            "engine mode:           \(binding.engineMode.name)",
        ].joined(separator: "\n")
    }

    static func stageBindings(_ list: [Postern.Policy.V1.StageBinding]) -> String {
        table(
            ["ID", "FLOW", "ORDER", "KIND", "ON PLAN", "WHEN RUN", "MODE", "STAGE"],
            list.map {
                [$0.id, $0.flow, "\($0.order)", $0.stageKind.name, "\($0.evaluateOnPlan)", "\($0.reEvaluatePolicies?.on ?? true)",
                 $0.engineMode.name, $0.stage]
            }, noun: "stage binding")
    }

    static func promptStage(_ stage: Postern.Policy.V1.PromptStage) -> String {
        (["name:    \(stage.name)", "fields:  \(stage.fields.count)"]
            + stage.fields.map { "  \($0.fieldKey): \($0.type.name)\($0.required ? ", required" : "")\($0.label.isEmpty ? "" : ", \"\($0.label)\"")" })
            .joined(separator: "\n")
    }

    static func subject(_ binding: Postern.Policy.V1.Binding) -> String {
        !binding.policy.isEmpty ? "policy \(binding.policy)" : !binding.user.isEmpty ? "user \(binding.user)" : "group \(binding.group)"
    }

    static func binding(_ binding: Postern.Policy.V1.Binding) -> String {
        [
            "id:              \(binding.id)",
            "target:          \(PolicyCLI.targetText(binding.target))",
            "binds:           \(subject(binding))",
            "order:           \(binding.order)",
            "enabled:         \(binding.enabled?.on ?? true)",
            "negate:          \(binding.negate)",
            "timeout:         \(binding.timeoutSeconds) s",
            "failure result:  \(binding.failureResult)",
        ].joined(separator: "\n")
    }

    static func bindings(_ list: [Postern.Policy.V1.Binding]) -> String {
        table(
            ["ID", "TARGET", "ORDER", "ENABLED", "NEGATE", "BINDS"],
            list.map { [$0.id, PolicyCLI.targetText($0.target), "\($0.order)", "\($0.enabled?.on ?? true)", "\($0.negate)", subject($0)] },
            noun: "binding")
    }

    static func verdict(_ verdict: Postern.Policy.V1.Verdict) -> String {
        var lines = ["verdict: \(verdict.passing ? "pass" : "fail")"]
        lines += verdict.messages.map { "message: \($0)" }
        for result in verdict.results {
            let subject = !result.policy.isEmpty ? "policy \(result.policy)" : !result.user.isEmpty ? "user \(result.user)" : "group \(result.group)"
            let how = result.timedOut ? " (timed out)" : result.errored ? " (error)" : ""
            lines.append("  \(result.order)  \(result.passing ? "pass" : "fail")\(how)  \(subject)  \(result.durationMicros) µs")
        }
        return lines.joined(separator: "\n")
    }

    static func plan(_ plan: Postern.Policy.V1.PlanResponse) -> String {
        guard plan.applicable else { return "flow denied: \(plan.denial)" }
        var lines = plan.stages.map { "run   \($0.order)  \($0.stage) (\($0.stageKind.name))  \($0.stageBindingID)\($0.evaluateWhenRun ? "  check when run" : "")" }
        lines += plan.skipped.map { "skip  \($0.order)  \($0.stage) (\($0.stageKind.name))  \($0.stageBindingID)" }
        lines.append("\(plan.stages.count) stage\(plan.stages.count == 1 ? "" : "s") to run, \(plan.skipped.count) skipped")
        return lines.joined(separator: "\n")
    }

    static func test(_ answer: Postern.Policy.V1.TestPolicyResponse) -> String {
        var lines = ["result: \(answer.passing ? "pass" : "fail")\(answer.timedOut ? " (timed out)" : answer.errored ? " (error)" : "")"]
        lines += answer.messages.map { "message: \($0)" }
        lines += answer.logMessages.map { "log: \($0)" }
        lines.append("time: \(answer.durationMicros) µs")
        return lines.joined(separator: "\n")
    }
}
