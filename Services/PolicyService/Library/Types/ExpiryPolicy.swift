import Foundation
import PosternProtocol
import PosternRPC
import PosternWire

/// authentik's password expiry policy (spec §12; docs/password-expiry.md): the policy user's
/// password, changed `days` days ago or more, has expired. The change time comes from
/// postern-password (Users/Get), not from the IdP. With `deny_only` the policy fails, "Password
/// has expired."; without it the password is marked as one to change at the next login
/// (Passwords/RequireChange) — it stays usable, and Authenticate says `must_change` — and the
/// policy passes with authentik's message, so the login goes on to the change.
final class ExpiryPolicy: CompiledPolicy {
    static let maximumDays: UInt32 = 36_500
    static let deniedMessage = "Password has expired."

    let days: UInt32
    let denyOnly: Bool
    let password: PeerClient
    let now: @Sendable () -> Date

    init(settings: Postern.Policy.V1.PasswordExpirySettings, password: PeerClient, now: @escaping @Sendable () -> Date = { Date() }) {
        days = settings.days
        denyOnly = settings.denyOnly
        self.password = password
        self.now = now
    }

    static func expiredMessage(daysAgo: Int) -> String {
        "Password expired \(daysAgo) days ago. Please update your password."
    }

    static let kind = PolicyKind(
        type: .passwordExpiry,
        carriesSettings: { $0.passwordExpiry != nil },
        settings: { policy, dependencies throws(RPCError) in
            let settings = policy.passwordExpiry ?? .init()
            guard (1...maximumDays).contains(settings.days) else {
                throw ConfigurationRules.invalid("password_expiry.days is \(settings.days); give 1…\(maximumDays)")
            }
            guard dependencies.password != nil else {
                throw RPCError(
                    code: .failedPrecondition,
                    message: "a password_expiry policy needs postern-password: set password.socket in postern-policy's configuration")
            }
            return settings.protobuf()
        },
        restore: { bytes, policy throws(ProtoDecodingError) in
            policy.passwordExpiry = try Postern.Policy.V1.PasswordExpirySettings(protobuf: bytes)
        },
        compile: { name, bytes, dependencies throws(PolicyFailure) in
            let settings = try PolicyKind.stored(Postern.Policy.V1.PasswordExpirySettings.self, bytes, policy: name)
            guard let password = dependencies.password else {
                throw PolicyFailure("policy \(name) is a password_expiry policy, which needs password.socket (postern-password's socket)")
            }
            return ExpiryPolicy(settings: settings, password: password)
        })

    func run(_ request: PolicyRequest) -> PolicyRun {
        // No user: no password to expire.
        guard let user = request.context.policyUser else { return .done(.success(PolicyOutcome(passing: true, messages: []))) }
        let (password, days, denyOnly, now) = (password, Int64(days), denyOnly, now)
        return .waits {
            let stored: Postern.Password.V1.User
            do throws(RPCError) {
                stored = try await password.call(Postern.Password.V1.Users.get, .init(id: user.id))
            } catch where error.code == .notFound {
                return .success(PolicyOutcome(passing: true, messages: [], logMessages: ["postern-password has no user \(user.id)"]))
            } catch {
                return .failure(PolicyFailure("postern-password did not answer: \(error.code.name): \(error.message)"))
            }
            guard stored.passwordChangedUnixMs > 0 else {
                return .success(PolicyOutcome(passing: true, messages: [], logMessages: ["no password set"]))
            }
            let ageDays = (Int64(now().timeIntervalSince1970 * 1000) - stored.passwordChangedUnixMs) / 86_400_000
            guard ageDays >= days else { return .success(PolicyOutcome(passing: true, messages: [])) }
            if denyOnly { return .success(PolicyOutcome(passing: false, messages: [Self.deniedMessage])) }
            do throws(RPCError) {
                _ = try await password.call(Postern.Password.V1.Passwords.requireChange, .init(userID: user.id))
            } catch {
                return .failure(PolicyFailure("postern-password did not mark the password to change: \(error.code.name): \(error.message)"))
            }
            return .success(PolicyOutcome(
                passing: true, messages: [Self.expiredMessage(daysAgo: Int(ageDays - days))],
                logMessages: ["marked to change at the next login"]))
        }
    }
}
