/// What kind of access a method needs.
public enum MethodClass: String, CaseIterable, Sendable {
    /// Anyone who can connect: Health.
    case open
    /// Reading non-secret state.
    case read
    /// Checking a secret (a login).
    case verify
    /// Changing state: users, credentials, configuration.
    case admin
    /// Calls between Postern's own daemons.
    case peer
}
