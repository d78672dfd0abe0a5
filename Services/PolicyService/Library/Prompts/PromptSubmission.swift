import PosternProtocol
import PosternRPC

/// What a user submitted to a prompt stage, checked field by field as authentik's prompt form
/// does (docs/prompt-validation.md): values of the field's JSON type, text trimmed (passwords
/// not), required fields present and not blank, and — when the stage has exactly two password
/// fields — the two the same.
struct PromptSubmission {
    static let requiredMessage = "This field is required."
    static let mismatchMessage = "Passwords don't match."

    /// The validated values, in the stage's field order.
    let values: ContextObject
    /// Per field key, in the stage's order: its problems.
    let fieldErrors: [(key: String, messages: [String])]
    /// Problems of the submission as a whole.
    let nonFieldErrors: [String]

    var acceptable: Bool { fieldErrors.isEmpty && nonFieldErrors.isEmpty }

    /// Checks `submitted` against `stage`. A key the stage has no field for, or a value of the
    /// wrong JSON type, is the caller's mistake: INVALID_ARGUMENT, naming it.
    init(_ submitted: ContextObject, stage: Postern.Policy.V1.PromptStage) throws(RPCError) {
        let fields = Dictionary(stage.fields.map { ($0.fieldKey, $0) }, uniquingKeysWith: { first, _ in first })
        for key in submitted.keys where fields[key] == nil {
            throw RPCError(
                code: .invalidArgument,
                message: "prompt_data has \(ContextJSON.quoted(key)), which is not a field of prompt stage \(stage.name)")
        }
        var values: [(key: String, value: ContextValue)] = []
        var fieldErrors: [(key: String, messages: [String])] = []
        for field in stage.fields {
            let given = submitted[field.fieldKey]
            guard let value = try Self.value(given, of: field, path: "prompt_data.\(field.fieldKey)") else {
                if field.required { fieldErrors.append((field.fieldKey, [Self.requiredMessage])) }
                continue
            }
            values.append((field.fieldKey, value))
        }
        var nonFieldErrors: [String] = []
        let passwords = stage.fields.filter { $0.type == .password }
        if fieldErrors.isEmpty, passwords.count == 2,
           submitted[passwords[0].fieldKey] != submitted[passwords[1].fieldKey]
        {
            nonFieldErrors.append(Self.mismatchMessage)
        }
        self.values = ContextObject(values)
        self.fieldErrors = fieldErrors
        self.nonFieldErrors = nonFieldErrors
    }

    /// The field's validated value, or nil when it is absent or blank.
    private static func value(
        _ given: ContextValue?, of field: Postern.Policy.V1.PromptField, path: String
    ) throws(RPCError) -> ContextValue? {
        guard let given, given != .null else { return nil }
        switch field.type {
        case .checkbox:
            guard case .bool(let on) = given else { throw mistyped(path, "true or false", given) }
            // An unticked box is a blank value, as an HTML form leaves it out.
            return on ? given : (field.required ? nil : given)
        case .number:
            switch given {
            case .integer, .double: return given
            default: throw mistyped(path, "a number", given)
            }
        case .static, .separator:
            throw RPCError(code: .invalidArgument, message: "\(path): a \(field.type.name) field takes no value")
        case .password:
            // Not trimmed: the password is what the user typed (authentik trims it; the
            // Password stage does not, so a trimmed password could never log in as typed).
            guard case .string(let text) = given else { throw mistyped(path, "a string", given) }
            return text.isEmpty ? nil : given
        default:
            guard case .string(let text) = given else { throw mistyped(path, "a string", given) }
            let trimmed = trimmingWhitespace(text)
            return trimmed.isEmpty ? nil : .string(trimmed)
        }
    }

    /// `text` without white space at either end (what a form's text field keeps).
    static func trimmingWhitespace(_ text: String) -> String {
        let scalars = text.unicodeScalars
        var start = scalars.startIndex
        var end = scalars.endIndex
        while start < end, scalars[start].properties.isWhitespace { start = scalars.index(after: start) }
        while end > start, scalars[scalars.index(before: end)].properties.isWhitespace { end = scalars.index(before: end) }
        return String(scalars[start..<end])
    }

    private static func mistyped(_ path: String, _ wanted: String, _ given: ContextValue) -> RPCError {
        RPCError(code: .invalidArgument, message: "\(path) must be \(wanted), not \(given.kind)")
    }
}
