import ClubCore
import Foundation
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc

private let systemWrite = Glibc.write
#elseif canImport(Darwin)
import Darwin

private let systemWrite = Darwin.write
#endif

/// How `clubd serve` writes its logs (`log.format`): swift-log's plain lines, or one JSON object a line for journald
/// and log shippers.
public enum LogFormat: String, Sendable, CaseIterable {
    case text
    case json
}

/// A swift-log handler writing each event as one JSON object on one line:
/// `{"timestamp":"2026-12-06T21:47:27.123Z","level":"info","label":"clubd","message":"…","metadata":{…},"source":"ClubServer"}`.
///
/// Metadata is flattened to strings (a nested dictionary's keys joined with dots), so that every value a shipper
/// indexes has one type. Newlines and quotes inside a message are escaped: one event is always exactly one line,
/// which is what makes the stream machine-readable (and a forged log line in a user's input impossible).
public struct JSONLinesLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let output: LineOutput

    public init(label: String, output: LineOutput = .standardError, metadataProvider: Logger.MetadataProvider? = LoggingSystem.metadataProvider) {
        self.label = label
        self.output = output
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        output.write(line(for: event, at: Date()))
    }

    /// The event's line, newline included.
    func line(for event: LogEvent, at time: Date) -> String {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let explicit = event.metadata { merged.merge(explicit) { _, new in new } }
        if let error = event.error {
            merged["error.message"] = "\(error)"
            merged["error.type"] = "\(String(reflecting: type(of: error)))"
        }
        var json = "{\"timestamp\":\"\(RFC3339.string(from: time))\",\"level\":\"\(event.level.rawValue)\""
        json += ",\"label\":" + Self.quoted(label) + ",\"message\":" + Self.quoted(event.message.description)
        let fields = Self.flattened(merged).sorted { $0.key < $1.key }
        if !fields.isEmpty {
            json += ",\"metadata\":{" + fields.map { Self.quoted($0.key) + ":" + Self.quoted($0.value) }.joined(separator: ",") + "}"
        }
        return json + ",\"source\":" + Self.quoted(event.source) + "}\n"
    }

    /// Every value as a string; a dictionary's entries under `key.entry`.
    static func flattened(_ metadata: Logger.Metadata, prefix: String = "") -> [String: String] {
        var fields: [String: String] = [:]
        for (key, value) in metadata {
            let name = prefix + key
            switch value {
            case .dictionary(let nested): fields.merge(flattened(nested, prefix: name + ".")) { _, new in new }
            default: fields[name] = value.description
            }
        }
        return fields
    }

    /// `text` as a JSON string: quotes, backslashes and every control character escaped; the rest stays UTF-8.
    static func quoted(_ text: String) -> String {
        var escaped = "\""
        escaped.reserveCapacity(text.utf8.count + 2)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\t": escaped += "\\t"
            // Control characters, and the two separators some JavaScript readers take for line ends.
            case _ where scalar.value < 0x20 || scalar.value == 0x7F || scalar.value == 0x2028 || scalar.value == 0x2029:
                let hex = String(scalar.value, radix: 16)
                escaped += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped + "\""
    }
}

/// Where the lines go: standard error, as swift-log's default handler writes, or a closure (tests).
public struct LineOutput: Sendable {
    private let sink: @Sendable (String) -> Void

    public init(_ sink: @escaping @Sendable (String) -> Void) {
        self.sink = sink
    }

    func write(_ line: String) { sink(line) }

    /// Whole lines to file descriptor 2, one at a time: lines logged at once from several threads never interleave.
    public static let standardError = LineOutput { line in
        descriptorLock.withLock { _ in
            var bytes = Array(line.utf8)[...]
            while !bytes.isEmpty {
                let written = bytes.withUnsafeBytes { systemWrite(STDERR_FILENO, $0.baseAddress, $0.count) }
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { return }
                bytes = bytes.dropFirst(written)
            }
        }
    }

    private static let descriptorLock = Mutex(())
}
