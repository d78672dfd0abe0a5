import ArgumentParser
import Logging
import NIOPosix
import PosternProtocol
import PosternRPC
import PosternWire
import ServiceLifecycle

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Runs a daemon in the foreground: reads its configuration, serves Health and the daemon's
/// services on its socket (its own, or the one systemd passed) until SIGTERM or SIGINT, then
/// stops and returns (exit 0). A daemon that cannot start says exactly why on stderr and
/// exits 1. systemd hears READY=1 once it serves and STOPPING=1 when it stops.
public enum DaemonRunner {
    /// Each log line's timestamp goes through glibc's `strftime`, which calls `tzset`; with
    /// `TZ` unset, that `stat`s /etc/localtime for every line (strace shows one per event).
    /// Naming the same file in `TZ` lets glibc see the zone has not changed and skip it. Set
    /// before any thread is started; an operator's own `TZ` is kept.
    static func keepTimeZoneRead() {
        if getenv("TZ") == nil { setenv("TZ", ":/etc/localtime", 0) }
    }

    /// SIGHUP, SIGUSR1 and SIGUSR2 would end the process by default (and systemd does not
    /// restart a daemon a SIGHUP ended). A daemon has nothing to re-open on SIGHUP — it logs to
    /// standard output — so all three are ignored (docs/systemd.md). SIGTERM and SIGINT stop it.
    static func ignoreStraySignals() {
        for number in [SIGHUP, SIGUSR1, SIGUSR2] { _ = signal(number, SIG_IGN) }
    }

    public static func run<Settings>(_ daemon: DaemonDescription<Settings>, options: DaemonOptions) async throws {
        let name = daemon.identity.executableName
        let environment = ProcessEnvironment.current
        let configuration: DaemonConfiguration<Settings> = try loadConfiguration(options: options, environment: environment)
        do {
            try daemon.checkSettings(configuration.settings)
        } catch {
            printError("\(name): \(options.checkConfig ? "configuration is invalid" : "cannot start"): \(error.message)")
            throw ExitCode(1)
        }
        if options.checkConfig {
            let overrides = configuration.environmentOverrides.joined(separator: ", ")
            print("\(name): configuration is valid (file: \(configuration.file ?? "none"); "
                + "environment overrides: \(overrides.isEmpty ? "none" : overrides))")
            return
        }
        let settings = configuration.settings
        keepTimeZoneRead()
        ignoreStraySignals()
        LoggingSystem.bootstrap { label in
            var handler = SingleLineLogHandler(label: label)
            handler.logLevel = settings.daemon.logLevel
            return handler
        }
        let logger = Logger(label: name)
        do {
            try await serve(daemon, settings: settings, environment: environment, logger: logger)
        } catch let error as StartupError {
            printError("\(name): cannot start: \(error.message)")
            throw ExitCode(1)
        } catch {
            printError("\(name): stopped on an error: \(error)")
            throw ExitCode(1)
        }
    }

    /// The configuration, or every problem with it on stderr and exit status 1.
    private static func loadConfiguration<Settings>(
        options: DaemonOptions, environment: [String: String]
    ) throws -> DaemonConfiguration<Settings> {
        let identity = Settings.identity
        do {
            return try DaemonConfiguration<Settings>.load(
                configPath: options.config, socketPath: options.socket, environment: environment)
        } catch {
            let count = error.problems.count
            printError("\(identity.executableName): \(options.checkConfig ? "configuration is invalid" : "cannot start"): "
                + "\(count) configuration problem\(count == 1 ? "" : "s"):")
            for problem in error.problems { printError("  \(problem)") }
            throw ExitCode(1)
        }
    }

    private static func serve<Settings>(
        _ daemon: DaemonDescription<Settings>, settings: Settings, environment: [String: String], logger: Logger
    ) async throws {
        let name = daemon.identity.executableName
        var serverConfiguration = settings.daemon.server
        serverConfiguration.maximumConnections = DescriptorLimit.apply(
            connections: serverConfiguration.maximumConnections, logger: logger)
        if let listener = try SystemdSocketActivation.listener(for: daemon.identity, environment: environment) {
            serverConfiguration.inheritedListener = listener.descriptor
            serverConfiguration.socketPath = listener.path
            for variable in ["LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES"] { unsetenv(variable) }
        }
        let background = BackgroundWork()
        let services = try await daemon.makeServices(
            DaemonStartup(settings: settings, logger: logger, environment: environment, background: background))
            + (settings.daemon.diagnostics ? [DiagnosticsService()] : [])
        if settings.daemon.diagnostics {
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

        let systemd = SystemdNotifier(environment: environment)
        let socketPath = serverConfiguration.socketPath
        // NIO's shared group has one loop per CPU; a configured count gets a group of its own.
        let loops: MultiThreadedEventLoopGroup = settings.daemon.eventLoopThreads.map {
            MultiThreadedEventLoopGroup(numberOfThreads: $0)
        } ?? .singleton
        let server = RPCServer(
            configuration: serverConfiguration, router: router, logger: logger, group: loops,
            onListening: {
                systemd.notify(["READY=1", "STATUS=serving on \(socketPath)", "MAINPID=\(getpid())"])
            },
            onGracefulShutdown: {
                health.markNotServing()
                systemd.notify(["STOPPING=1", "STATUS=stopping: finishing the calls in flight"])
            })
        // A group stops its services in reverse order: the server finishes its calls in flight
        // before background work is asked to stop.
        let group = ServiceGroup(configuration: .init(
            services: background.services(logger: logger)
                + [.init(service: server, successTerminationBehavior: .gracefullyShutdownGroup)],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        do {
            try await group.run()
        } catch {
            if settings.daemon.eventLoopThreads != nil { try? await loops.shutdownGracefully() }
            throw error
        }
        if settings.daemon.eventLoopThreads != nil { try await loops.shutdownGracefully() }
    }

    private static func printError(_ line: String) {
        let bytes = Array((line + "\n").utf8)
        _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    }
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
