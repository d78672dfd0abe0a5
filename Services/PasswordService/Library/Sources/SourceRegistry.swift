import Foundation
import PosternRPC
import Synchronization

/// A source's settings as the registry needs them.
protocol SourceSettings: Sendable, Equatable {
    var name: String { get }
    var enabled: Bool { get }
}

/// A source at run time: its threads and connections, made from its settings.
protocol SourceRuntime: AnyObject, Sendable {
    associatedtype Settings: SourceSettings
    var settings: Settings { get }
    init(settings: Settings, environment: [String: String])
    /// Lets its threads end; jobs already queued still run.
    func stop()
}

/// The sources of one kind this daemon serves (LDAP, Kerberos), by name: a backend tries the
/// enabled ones in that order. Loaded from the store at start and again after every change;
/// a source whose settings did not change keeps its threads and connections.
final class SourceRegistry<Runtime: SourceRuntime>: Sendable {
    private let runtimes = Mutex<[Runtime]>([])
    private let environment: [String: String]
    /// Called for each source that starts being served (to log it).
    private let started: @Sendable (Runtime) -> Void

    init(environment: [String: String], started: @escaping @Sendable (Runtime) -> Void = { _ in }) {
        self.environment = environment
        self.started = started
    }

    /// The enabled sources, by name.
    var enabled: [Runtime] { runtimes.withLock { $0 } }

    func named(_ name: String) -> Runtime? { enabled.first { $0.settings.name == name } }

    /// Loads what `read` finds in the store, until what was loaded is what the store holds: two
    /// changes at once may load in the other order than they were stored, so each reload ends
    /// by reading the store again after its own load.
    func reload(from read: () async throws(RPCError) -> [Runtime.Settings]) async throws(RPCError) {
        var loaded = try await read()
        while true {
            load(loaded)
            let now = try await read()
            if now == loaded { return }
            loaded = now
        }
    }

    /// Serves `all` from now on (the disabled ones are not served).
    func load(_ all: [Runtime.Settings]) {
        let wanted = all.filter(\.enabled).sorted { $0.name < $1.name }
        let (new, stopped): ([Runtime], [Runtime]) = runtimes.withLock { current in
            var kept: [Runtime] = []
            var new: [Runtime] = []
            for settings in wanted {
                if let same = current.first(where: { $0.settings == settings }) {
                    kept.append(same)
                } else {
                    let runtime = Runtime(settings: settings, environment: environment)
                    kept.append(runtime)
                    new.append(runtime)
                }
            }
            let stopped = current.filter { old in !kept.contains { $0 === old } }
            current = kept
            return (new, stopped)
        }
        for runtime in stopped { runtime.stop() }
        for runtime in new { started(runtime) }
    }
}
