import ClubStore
import Configuration
import Foundation
import Logging
import Synchronization
import Testing

@testable import ClubServer

/// `log.format: json`: every event one line, every line one JSON object, whatever the message holds.
@Suite("JSON-lines logs")
struct JSONLinesLogHandlerTests {
    /// The lines a logger wrote, kept in memory.
    final class Captured: Sendable {
        private let lines = Mutex<[String]>([])

        var output: LineOutput { LineOutput { line in self.lines.withLock { $0.append(line) } } }
        var text: String { lines.withLock { $0.joined() } }

        /// Every line parsed, failing the test on one that is not a JSON object.
        func objects() throws -> [[String: Any]] {
            let split = text.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(split.last == "", "the output ends with a newline")
            return try split.dropLast().map { line in
                let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
                return try #require(object as? [String: Any], "not an object: \(line)")
            }
        }
    }

    static func logger(_ captured: Captured, label: String = "clubd") -> Logger {
        var logger = Logger(label: label) { label in JSONLinesLogHandler(label: label, output: captured.output, metadataProvider: nil) }
        logger.logLevel = .debug
        return logger
    }

    @Test func anEventIsOneObjectWithTheFieldsAShipperIndexes() throws {
        let captured = Captured()
        Self.logger(captured).info("clubd listening", metadata: ["url": "https://127.0.0.1:8443/v1/health", "port": "8443"])
        let objects = try captured.objects()
        try #require(objects.count == 1)
        let event = objects[0]
        #expect(event["level"] as? String == "info")
        #expect(event["label"] as? String == "clubd")
        #expect(event["message"] as? String == "clubd listening")
        #expect(event["source"] as? String == "ClubServerTests")
        let metadata = try #require(event["metadata"] as? [String: String])
        #expect(metadata == ["url": "https://127.0.0.1:8443/v1/health", "port": "8443"])
        let timestamp = try #require(event["timestamp"] as? String)
        #expect(timestamp.range(of: #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$"#, options: .regularExpression) != nil, "\(timestamp)")
        #expect(captured.text.contains("https://127.0.0.1:8443/v1/health"), "slashes are not escaped, so the line greps as it reads")
    }

    @Test func newlinesQuotesAndUnicodeStayInsideTheirOneLine() throws {
        let captured = Captured()
        let message = "line one\nline two \"quoted\" \\ back\ttab\r\u{0}\u{1B}[31m émigré 🦉 \u{2028} end"
        let forged = "x\n{\"level\":\"critical\",\"message\":\"forged\"}"
        Self.logger(captured).warning("\(message)", metadata: ["name": "\(forged)", "ключ \"k\"": "значение"])
        let objects = try captured.objects()
        try #require(objects.count == 1, "a newline in the input never starts another event: \(captured.text)")
        #expect(objects[0]["message"] as? String == message)
        let metadata = try #require(objects[0]["metadata"] as? [String: String])
        #expect(metadata["name"] == forged)
        #expect(metadata["ключ \"k\""] == "значение")
        #expect(captured.text.contains("émigré 🦉"), "non-ASCII text is written as UTF-8, not escaped")
        #expect(!captured.text.contains("\u{1B}"), "control characters are escaped")
    }

    @Test func nestedMetadataIsFlattenedToStringsAndLaterValuesWin() throws {
        let captured = Captured()
        var logger = Self.logger(captured, label: "clubd.notify")
        logger[metadataKey: "request"] = "r1"
        logger[metadataKey: "attempt"] = "1"
        logger.debug(
            "delivered",
            metadata: [
                "attempt": "2",
                "webhook": ["id": "whk_1", "status": .stringConvertible(204)],
                "tries": ["1", "2"],
            ]
        )
        let objects = try captured.objects()
        try #require(objects.count == 1)
        #expect(objects[0]["label"] as? String == "clubd.notify")
        #expect(objects[0]["level"] as? String == "debug")
        let metadata = try #require(objects[0]["metadata"] as? [String: String])
        #expect(metadata == ["request": "r1", "attempt": "2", "webhook.id": "whk_1", "webhook.status": "204", "tries": #"["1", "2"]"#])
    }

    @Test func anEventWithoutMetadataHasNoMetadataField() throws {
        let captured = Captured()
        let logger = Self.logger(captured)
        logger.error("first")
        logger.trace("below the level: not written")
        logger.critical("second")
        let objects = try captured.objects()
        #expect(objects.compactMap { $0["message"] as? String } == ["first", "second"])
        #expect(objects.allSatisfy { $0["metadata"] == nil })
        #expect(objects.compactMap { $0["level"] as? String } == ["error", "critical"])
    }

    @Test func theFormatIsReadFromTheFileAndTheEnvironmentAndAnUnknownOneIsRefused() async throws {
        let none = try await ConfigSources.reader(flags: [:], environment: [:], configFile: nil)
        #expect(try ServerSettings(reader: none).logFormat == .text)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("clubd-log-\(UUID().uuidString).json").path
        try #"{"log": {"format": "json"}}"#.write(toFile: path, atomically: true, encoding: .utf8)
        let file = try await ConfigSources.reader(flags: [:], environment: [:], configFile: path)
        #expect(try ServerSettings(reader: file).logFormat == .json)
        let environment = try await ConfigSources.reader(flags: [:], environment: ["CLUBD_LOG_FORMAT": "json"], configFile: nil)
        #expect(try ServerSettings(reader: environment).logFormat == .json)
        let unknown = try await ConfigSources.reader(flags: [:], environment: ["CLUBD_LOG_FORMAT": "JSON"], configFile: nil)
        #expect(throws: SettingsError.invalid(key: "log.format", value: "JSON (text or json)")) { try ServerSettings(reader: unknown) }
    }
}
