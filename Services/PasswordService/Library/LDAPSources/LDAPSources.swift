import Foundation
import Logging
import Synchronization

/// The LDAP sources this daemon serves, by name: the `ldap` backend tries the enabled ones in
/// that order. Loaded from the store at start and again after every change made through
/// LDAPSources; a source whose settings did not change keeps its threads and connections.
final class LDAPSources: Sendable {
    private let runtimes = Mutex<[LDAPSourceRuntime]>([])
    private let environment: [String: String]
    private let logger: Logger

    init(environment: [String: String], logger: Logger) {
        self.environment = environment
        self.logger = logger
    }

    /// The enabled sources, by name.
    var enabled: [LDAPSourceRuntime] { runtimes.withLock { $0 } }

    func named(_ name: String) -> LDAPSourceRuntime? { enabled.first { $0.settings.name == name } }

    /// The source password changes are written back to: the first enabled one with
    /// `password_writeback`, as authentik takes the first such source.
    var writeback: LDAPSourceRuntime? { enabled.first { $0.settings.passwordWriteback } }

    /// Serves `all` from now on (the disabled ones are not served). Sources switched off from
    /// verifying certificates are warned about each time they are loaded.
    func load(_ all: [LDAPSourceSettings]) {
        let wanted = all.filter(\.enabled).sorted { $0.name < $1.name }
        let (started, stopped): ([LDAPSourceRuntime], [LDAPSourceRuntime]) = runtimes.withLock { current in
            var kept: [LDAPSourceRuntime] = []
            var started: [LDAPSourceRuntime] = []
            for settings in wanted {
                if let same = current.first(where: { $0.settings == settings }) {
                    kept.append(same)
                } else {
                    let runtime = LDAPSourceRuntime(settings: settings, environment: environment)
                    kept.append(runtime)
                    started.append(runtime)
                }
            }
            let stopped = current.filter { old in !kept.contains { $0 === old } }
            current = kept
            return (started, stopped)
        }
        for runtime in stopped { runtime.stop() }
        for runtime in started {
            let settings = runtime.settings
            logger.info(
                "ldap_source_ready",
                metadata: [
                    "source": "\(settings.name)", "uris": "\(settings.uris.joined(separator: " "))",
                    "user_dn": "\(settings.userDN.rawValue)", "pool_size": "\(settings.poolSize)",
                ])
            if settings.insecureSkipVerify {
                logger.warning(
                    "ldap_source_insecure",
                    metadata: [
                        "source": "\(settings.name)",
                        "reason": "insecure_skip_verify: the server's certificate is not checked, so anyone on the path can read passwords",
                    ])
            }
        }
    }
}
