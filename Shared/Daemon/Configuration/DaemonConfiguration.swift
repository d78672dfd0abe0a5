#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import PosternProtocol
import PosternRPC
import PosternWire

/// Reads a daemon's settings from, in rising precedence: the defaults, the configuration
/// file, the environment (`POSTERN_<NAME>_<KEY>`), and the command line.
public struct DaemonConfiguration<Settings: ConfiguredSettings>: Sendable {
    public let settings: Settings
    /// The file read, or nil when there was none.
    public let file: String?
    /// The environment variables that overrode a key.
    public let environmentOverrides: [String]

    /// Loads and validates everything, collecting every problem rather than stopping at the first.
    ///
    /// - Parameters:
    ///   - configPath: `--config`; otherwise `POSTERN_<NAME>_CONFIG`; otherwise the default path
    ///     if a file is there. A file named explicitly must exist.
    ///   - socketPath: `--socket`, which beats every other source.
    public static func load(
        configPath: String?,
        socketPath: String?,
        environment: [String: String]
    ) throws(ConfigurationProblems) -> DaemonConfiguration {
        let identity = Settings.identity
        var settings: any ConfiguredSettings = Settings()
        var problems: [ConfigurationProblem] = []
        let configVariable = identity.environmentPrefix + "CONFIG"

        let explicitPath = configPath ?? environment[configVariable].flatMap { $0.isEmpty ? nil : $0 }
        let path: String? = explicitPath ?? (access(identity.defaultConfigurationPath, F_OK) == 0
            ? identity.defaultConfigurationPath : nil)
        if let path {
            do {
                let (entries, parseProblems) = ConfigurationFile.parse(try ConfigurationFile.read(path), path: path)
                var fileProblems = parseProblems
                for entry in entries {
                    var entryProblems: [ConfigurationProblem] = []
                    apply(
                        entry.key, entry.value, to: &settings, for: identity, source: "\(path):\(entry.line)",
                        problems: &entryProblems)
                    fileProblems += entryProblems.map { (entry.line, $0) }
                }
                problems += fileProblems.sorted { $0.line < $1.line }.map(\.1)
            } catch {
                problems.append(ConfigurationProblem(source: path, message: error.message))
            }
        }

        var overrides: [String] = []
        let variables = Dictionary(uniqueKeysWithValues: ConfigurationKey.all.map {
            ($0.environmentVariable(for: identity), $0.name)
        })
        for (variable, value) in environment.sorted(by: { $0.key < $1.key })
        where variable.hasPrefix(identity.environmentPrefix) && variable != configVariable {
            guard let key = variables[variable] else {
                problems.append(ConfigurationProblem(
                    source: "environment \(variable)",
                    message: "not a configuration key (see docs/configuration.md)"))
                continue
            }
            overrides.append(variable)
            apply(key, value, to: &settings, for: identity, source: "environment \(variable)", problems: &problems)
        }

        if let socketPath {
            apply("socket", socketPath, to: &settings, for: identity, source: "--socket", problems: &problems)
        }
        guard problems.isEmpty else { throw ConfigurationProblems(problems: problems) }
        // Each key writes back the settings type it read (`ConfigurationKey`), so this holds.
        guard let settings = settings as? Settings else {
            throw ConfigurationProblems(problems: [ConfigurationProblem(
                source: "configuration", message: "the keys did not produce \(identity.executableName)'s settings")])
        }
        return DaemonConfiguration(settings: settings, file: path, environmentOverrides: overrides)
    }

    private static func apply(
        _ name: String, _ value: String, to settings: inout any ConfiguredSettings, for identity: DaemonIdentity, source: String,
        problems: inout [ConfigurationProblem]
    ) {
        guard let key = ConfigurationKey.named(name) else { return }
        guard key.daemons.contains(identity) else {
            let readers = DaemonIdentity.allCases.filter(key.daemons.contains).map(\.executableName).joined(separator: " and ")
            problems.append(ConfigurationProblem(
                source: source, message: "\(name) is read by \(readers), not \(identity.executableName); remove it here"))
            return
        }
        do {
            try key.apply(value, &settings)
        } catch {
            problems.append(ConfigurationProblem(source: source, message: "\(name): \(error.message)"))
        }
    }
}
