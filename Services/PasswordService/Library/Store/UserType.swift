/// What kind of account a user is: a person, or a machine that logs in with app passwords.
public enum UserType: String, Sendable, Codable, CaseIterable {
    case `internal` = "internal"
    case serviceAccount = "service_account"
}
