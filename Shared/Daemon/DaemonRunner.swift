import ArgumentParser
import Logging
import PosternProtocol
import PosternWire
import ServiceLifecycle

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// What makes one daemon different from the others: who it is and which services it serves.
public struct DaemonDescription: Sendable {
    public var identity: DaemonIdentity
    /// The services besides Health.
    public var services: [any RPCService]

    public init(identity: DaemonIdentity, services: [any RPCService]) {
        self.identity = identity
        self.services = services
    }
}

/// Runs a daemon in the foreground: serves Health and the daemon's services on its socket
/// until SIGTERM or SIGINT, then stops and returns (exit 0). A daemon that cannot start says
/// exactly why on stderr and exits 1.
public enum DaemonRunner {
    public static func run(_ daemon: DaemonDescription, options: DaemonOptions) async throws {
        let name = daemon.identity.executableName
        let configuration: DaemonConfiguration
        do {
            configuration = try DaemonConfiguration.load(
                for: daemon.identity, configPath: options.config, socketPath: options.socket,
                environment: ProcessEnvironment.current)
        } catch {
            let count = error.problems.count
            printError("\(name): \(options.checkConfig ? "configuration is invalid" : "cannot start"): "
                + "\(count) configuration problem\(count == 1 ? "" : "s"):")
            for problem in error.problems { printError("  \(problem)") }
            throw ExitCode(1)
        }
        if options.checkConfig {
            print("\(name): configuration is valid (file: \(configuration.file ?? "none"); "
                + "environment overrides: \(configuration.environmentOverrides.joined(separator: ", ").nonEmpty ?? "none"))")
            return
        }
        let settings = configuration.settings

        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardOutput(label: label)
            handler.logLevel = settings.logLevel
            return handler
        }
        let logger = Logger(label: name)
        let services = daemon.services + (settings.diagnostics ? [DiagnosticsService()] : [])
        if settings.diagnostics {
            logger.warning("diagnostics enabled: serving the Sleep method; never do this in production")
        }

        let health = HealthService(
            daemon: name, version: PosternVersion.current,
            services: services.map { type(of: $0).serviceName })
        var router = RPCRouter()
        router.register(health)
        for service in services { router.register(service) }
        router.onUnexpectedError = { error, context in
            logger.error("handler failed", metadata: ["method": "\(context.method)", "error": "\(error)"])
        }

        let server = RPCServer(
            configuration: settings.serverConfiguration(), router: router, logger: logger,
            onGracefulShutdown: { health.markNotServing() })
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: server, successTerminationBehavior: .gracefullyShutdownGroup)],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        do {
            try await group.run()
        } catch let error as StartupError {
            printError("\(name): cannot start: \(error.message)")
            throw ExitCode(1)
        } catch {
            printError("\(name): stopped on an error: \(error)")
            throw ExitCode(1)
        }
    }

    private static func printError(_ line: String) {
        let bytes = Array((line + "\n").utf8)
        _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    }
}

extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}

/// The process environment as a dictionary.
enum ProcessEnvironment {
    static var current: [String: String] {
        var result: [String: String] = [:]
        var entry = environ
        while let pointer = entry.pointee {
            let pair = String(cString: pointer)
            if let equals = pair.firstIndex(of: "=") {
                result[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
            }
            entry += 1
        }
        return result
    }
}
