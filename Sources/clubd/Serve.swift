import ArgumentParser
import ClubServer
import ClubStore
import Configuration
import Logging

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Serve the API over TLS until SIGTERM or SIGINT; SIGHUP reloads the certificate.")

    @OptionGroup var common: CommonOptions
    @Option(help: "Address to listen on (default 127.0.0.1).") var host: String?
    @Option(help: "TLS port (default 8443; 0 picks a free port).") var port: Int?
    @Option(help: "PEM certificate chain (with --key).") var cert: String?
    @Option(help: "PEM private key (with --cert).") var key: String?

    func run() async throws {
        var flags: [AbsoluteConfigKey: ConfigValue] = [:]
        if let host { flags["host"] = .init(.string(host), isSecret: false) }
        if let port { flags["port"] = .init(.int(port), isSecret: false) }
        if let cert { flags["cert"] = .init(.string(cert), isSecret: false) }
        if let key { flags["key"] = .init(.string(key), isSecret: false) }
        let settings = try await common.read(extra: flags) { try ServerSettings(reader: $0) }
        // Before the first logger is made (a logger keeps the handler it was made with); `serve` runs once a process.
        // Text needs no bootstrap: swift-log's default handler already writes lines to standard error.
        if settings.logFormat == .json {
            LoggingSystem.bootstrap { label in JSONLinesLogHandler(label: label) }
        }
        let logger = {
            var logger = Logger(label: "clubd")
            logger.logLevel = settings.logLevel
            return logger
        }()
        do {
            try await ClubServer.run(settings: settings, logger: logger) { port in
                logger.info("clubd listening", metadata: ["url": "https://\(settings.host):\(port)/v1/health"])
            }
        } catch let error where settings.logFormat == .json {
            // The reason as one more JSON line rather than the parser's plain `Error:` line, which a log reader would skip.
            logger.critical("clubd could not serve", metadata: ["error": "\(error)"])
            throw ExitCode.failure
        }
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create or upgrade the database schema, then exit.")

    @OptionGroup var common: CommonOptions

    func run() async throws {
        let database = try await common.openDatabase()
        try database.close()
        print("database is up to date")
    }
}
