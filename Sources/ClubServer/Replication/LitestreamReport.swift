import Foundation

/// What Litestream's Prometheus endpoint says of one database: how many WAL bytes it has read
/// from the database (`litestream_total_wal_bytes`) and how many it has shipped to a replica
/// (`litestream_replica_wal_bytes`). Both count from Litestream's start; the shipped count also
/// holds a 32-byte header for each WAL segment, so it runs a little ahead when nothing is pending.
struct LitestreamReport: Equatable, Sendable {
    var readBytes: Int64
    var shippedBytes: Int64

    /// The report for `databasePath` in Litestream's metrics text, nil when it names no such database.
    /// With several replicas of the database, the one furthest behind counts.
    static func parse(_ text: some StringProtocol, databasePath: String) -> LitestreamReport? {
        let wanted = Self.canonical(databasePath)
        var read: Int64?
        var shipped: Int64?
        for line in text.split(whereSeparator: \.isNewline) where line.hasPrefix("litestream_") {
            guard let sample = PrometheusSample(line), let db = sample.labels["db"], Self.canonical(db) == wanted else { continue }
            switch sample.name {
            case "litestream_total_wal_bytes": read = sample.value
            case "litestream_replica_wal_bytes": shipped = min(shipped ?? sample.value, sample.value)
            default: continue
            }
        }
        guard let read, let shipped else { return nil }
        return LitestreamReport(readBytes: read, shippedBytes: shipped)
    }

    /// Litestream labels a database by the path in its configuration; clubd knows its own, maybe
    /// relative or through a symbolic link. The folder is resolved (it exists; the file may not yet).
    static func canonical(_ path: String) -> String {
        let file = URL(fileURLWithPath: path).standardizedFileURL
        let folder = file.deletingLastPathComponent().path
        guard let resolved = realpath(folder, nil) else { return file.path }
        defer { free(resolved) }
        return URL(fileURLWithPath: String(cString: resolved)).appendingPathComponent(file.lastPathComponent).path
    }
}

/// One line of Prometheus' text format: `name{label="value",…} number`.
struct PrometheusSample: Equatable {
    var name: String
    var labels: [String: String]
    var value: Int64

    init?(_ line: some StringProtocol) {
        var rest = Substring(line)
        let nameEnd = rest.firstIndex { $0 == "{" || $0 == " " } ?? rest.endIndex
        name = String(rest[..<nameEnd])
        rest = rest[nameEnd...]
        labels = [:]
        if rest.first == "{" {
            rest = rest.dropFirst()
            while let equals = rest.firstIndex(of: "=") {
                let key = rest[..<equals].trimmingCharacters(in: CharacterSet(charactersIn: ", "))
                rest = rest[rest.index(after: equals)...]
                guard rest.first == "\"", let (text, after) = Self.quoted(rest.dropFirst()) else { return nil }
                labels[key] = text
                rest = after
                if rest.first == "," { rest = rest.dropFirst() }
                if rest.first == "}" { break }
            }
            guard rest.first == "}" else { return nil }
            rest = rest.dropFirst()
        }
        // Go writes large counters as floats (`1.2e+07`), and some gauges beyond Int64 (`1.8446744073709552e+19`).
        guard let number = rest.split(separator: " ").first.flatMap({ Double($0) }), let whole = Int64(exactly: number.rounded(.down)),
            !name.isEmpty
        else { return nil }
        value = whole
    }

    /// A label's value up to its closing quote, with `\"`, `\\` and `\n` unescaped.
    private static func quoted(_ text: Substring) -> (String, Substring)? {
        var value = ""
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character == "\"" { return (value, text[text.index(after: index)...]) }
            if character == "\\" {
                index = text.index(after: index)
                guard index < text.endIndex else { return nil }
                value.append(text[index] == "n" ? "\n" : text[index])
            } else {
                value.append(character)
            }
            index = text.index(after: index)
        }
        return nil
    }
}
