/// The new password a password policy judges, as authentik's password and uniqueness policies
/// find it: `prompt_data[field]`, else the context's own `field`.
extension PolicyContext {
    enum PasswordLookup: Equatable {
        case found(String)
        /// Absent, null or empty: authentik's "Password not set in context".
        case notSet
        /// Present but not a string: a policy error naming where it is.
        case notAString(path: String, kind: String)
    }

    static let passwordNotSet = "Password not set in context"

    func password(field: String) -> PasswordLookup {
        let (value, path): (ContextValue?, String) =
            if case .object(let promptData)? = object["prompt_data"], let value = promptData[field] {
                (value, "context.prompt_data.\(field)")
            } else {
                (object[field], "context.\(field)")
            }
        switch value {
        case nil, .null?: return .notSet
        case .string(let text)?: return text.isEmpty ? .notSet : .found(text)
        case let other?: return .notAString(path: path, kind: other.kind)
        }
    }
}
