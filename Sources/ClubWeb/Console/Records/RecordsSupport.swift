import ClubCore
import ClubStore
import Foundation
import Hummingbird

/// A column of the scorecards table: its sort key (also its CSV header), its catalog label,
/// the number it sorts by and how a cell shows it.
struct ScorecardColumn: Sendable {
    enum Kind: Sendable {
        case name, count, share, decimal, hours
    }

    let key: String
    let label: String
    let kind: Kind
    let value: @Sendable (Scorecard) -> Double?

    /// Names sort A→Z first; numbers, the best or biggest first.
    var firstOrder: String { kind == .name ? "asc" : "desc" }

    func display(_ card: Scorecard, _ words: Localizer) -> String {
        guard let number = value(card) else { return "—" }
        switch kind {
        case .name: return card.name
        case .count: return String(Int(number))
        case .share: return ScorecardSort.percent(number, words)
        case .decimal: return ScorecardSort.decimal(number, digits: 2, words)
        case .hours: return words.text("console.records.hours", ["hours": ScorecardSort.decimal(number, digits: 1, words)])
        }
    }
}

/// The order the scorecards are shown in: `?sort=<column>&order=asc|desc`, the rating, best
/// first, unless asked otherwise. Studios without a value for the column come last either way.
struct ScorecardSort {
    static let columns: [ScorecardColumn] = [
        ScorecardColumn(key: "name", label: "console.records.col.name", kind: .name) { _ in 0 },
        ScorecardColumn(key: "rating", label: "console.records.col.rating", kind: .decimal) { $0.rating },
        ScorecardColumn(key: "averageFeedback", label: "console.records.col.averageFeedback", kind: .decimal) { $0.averageFeedback },
        ScorecardColumn(key: "referralsOffered", label: "console.records.col.referralsOffered", kind: .count) { Double($0.referralsOffered) },
        ScorecardColumn(key: "acceptanceRate", label: "console.records.col.acceptanceRate", kind: .share) { $0.acceptanceRate },
        ScorecardColumn(key: "medianAnswerHours", label: "console.records.col.medianAnswerHours", kind: .hours) { $0.medianAnswerHours },
        ScorecardColumn(key: "upheldComplaints", label: "console.records.col.upheldComplaints", kind: .count) { Double($0.upheldComplaints) },
        ScorecardColumn(key: "fixesOnTimeShare", label: "console.records.col.fixesOnTimeShare", kind: .share) { $0.fixesOnTimeShare },
        ScorecardColumn(key: "fixItemsReopened", label: "console.records.col.fixItemsReopened", kind: .count) { Double($0.fixItemsReopened) },
        ScorecardColumn(key: "auditFindingsAccepted", label: "console.records.col.auditFindingsAccepted", kind: .count) {
            Double($0.auditFindingsAccepted)
        },
        ScorecardColumn(key: "auditFindingsPartlyAccepted", label: "console.records.col.auditFindingsPartlyAccepted", kind: .count) {
            Double($0.auditFindingsPartlyAccepted)
        },
        ScorecardColumn(key: "auditFindingsDisputed", label: "console.records.col.auditFindingsDisputed", kind: .count) {
            Double($0.auditFindingsDisputed)
        },
    ]

    let key: String
    let descending: Bool

    init(_ request: Request) {
        let asked = request.uri.queryParameters["sort"].map(String.init) ?? ""
        let column = Self.columns.first { $0.key == asked } ?? Self.columns[1]
        key = column.key
        let order = request.uri.queryParameters["order"].map(String.init) ?? column.firstOrder
        descending = order != "asc"
    }

    func sorted(_ cards: [Scorecard]) -> [Scorecard] {
        guard let column = Self.columns.first(where: { $0.key == key }) else { return cards }
        if column.kind == .name {
            let byName = cards.sorted { $0.name.localizedStandardCompare($1.name) == .orderedAscending }
            return descending ? byName.reversed() : byName
        }
        return cards.sorted { left, right in
            switch (column.value(left), column.value(right)) {
            case (let a?, let b?) where a != b: return descending ? a > b : a < b
            case (nil, _?): return false
            case (_?, nil): return true
            default: return left.name.localizedStandardCompare(right.name) == .orderedAscending
            }
        }
    }

    static func decimal(_ value: Double, digits: Int, _ words: Localizer) -> String {
        value.formatted(.number.precision(.fractionLength(0...digits)).locale(Locale(identifier: words.language)))
    }

    static func percent(_ share: Double, _ words: Localizer) -> String {
        words.text("console.records.percent", ["value": decimal(share * 100, digits: 0, words)])
    }
}

/// The funnel's period from `?from=&to=` (days, `to` included); a day that is not one is named
/// next to its field and the period is taken without it.
struct FunnelPeriod {
    let fromText: String
    let toText: String
    let from: Date?
    /// The moment after the last day of the period (the store counts up to, not including, it).
    let until: Date?
    var problems: [FieldProblem] = []

    /// The days are the reader's: a period "from the 1st" starts at their local midnight.
    init(_ request: Request, words: Localizer, zone: TimeZone) {
        fromText = (request.uri.queryParameters["from"].map(String.init) ?? "").trimmingCharacters(in: .whitespaces)
        toText = (request.uri.queryParameters["to"].map(String.init) ?? "").trimmingCharacters(in: .whitespaces)
        let fromDay = Day(fromText)
        let toDay = Day(toText)
        from = fromDay?.start(in: zone)
        until = toDay?.end(in: zone)
        if !fromText.isEmpty && fromDay == nil { problems.append(FieldProblem(field: "from", message: words.text("console.problem.notDate"))) }
        if !toText.isEmpty && toDay == nil { problems.append(FieldProblem(field: "to", message: words.text("console.problem.notDate"))) }
    }

    /// `&from=…&to=…` for links that keep the period.
    var query: String {
        var parts = ""
        if from != nil { parts += "&from=" + fromText }
        if until != nil { parts += "&to=" + toText }
        return parts
    }

    func describe(_ words: Localizer) -> String {
        switch (Day(fromText), Day(toText)) {
        case (let first?, let last?): words.text("console.records.period.between", ["from": words.format(first), "to": words.format(last)])
        case (let first?, nil): words.text("console.records.period.since", ["from": words.format(first)])
        case (nil, let last?): words.text("console.records.period.until", ["to": words.format(last)])
        case (nil, nil): words.text("console.records.period.all")
        }
    }

    func fields(_ words: Localizer) -> [InputField] {
        var first = InputField(.date, name: "from", label: words.text("console.records.field.from"), value: fromText)
        var last = InputField(.date, name: "to", label: words.text("console.records.field.to"), value: toText)
        first.error = problems.first { $0.field == "from" }?.message
        last.error = problems.first { $0.field == "to" }?.message
        return [first, last]
    }
}

/// The geometry of the funnel chart, in SVG user units: each state's name above its bar, the
/// number after the bar; narrow enough that the words stay legible when a phone scales it down.
enum FunnelChart {
    static let width = 400
    static let top = 4
    static let rowHeight = 54
    static let labelOffset = 16
    static let barOffset = 22
    static let barHeight = 22
    static let countOffset = 39
    static let barSpace = 340
}

/// The reports as CSV (RFC 4180): raw values with a dot for decimals, empty when unknown. A text
/// that a spreadsheet would take for a formula is prefixed with `'`.
enum ReportsCSV {
    static func scorecards(_ cards: [Scorecard]) -> String {
        let header = ["studioId"] + ScorecardSort.columns.map(\.key)
        let rows = cards.map { card in
            [card.studioId, card.name] + ScorecardSort.columns.dropFirst().map { column in column.value(card).map(number) ?? "" }
        }
        return lines([header] + rows)
    }

    static func funnel(_ report: FunnelReport) -> String {
        var rows = [["status", "count"]]
        rows += LeadStatus.allCases.map { [$0.rawValue, String(report.byStatus[$0.rawValue] ?? 0)] }
        rows.append(["total", String(report.total)])
        rows.append(["matched", String(report.matched)])
        rows.append(["conversion", report.conversion.map(number) ?? ""])
        return lines(rows)
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    static func lines(_ rows: [[String]]) -> String {
        rows.map { $0.map(field).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    static func field(_ value: String) -> String {
        var text = value
        if let first = text.first, "=+-@\t\r".contains(first), Double(text) == nil { text = "'" + text }
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// The journal's filters: an entity type from those the store writes, and an entity id.
enum JournalFilter {
    static let types = Set(JournalEvent.shapes.keys).union(["person", "token"])
    /// Where the console shows an object of a type, before its id.
    static let pages = [
        "request": "/requests/", "studio": "/studios/", "client": "/clients/", "engagement": "/engagements/",
        "complaint": "/complaints/", "fix-list": "/fix-lists/", "audit": "/audits/",
    ]

    static func label(_ type: String, _ words: Localizer) -> String {
        types.contains(type) ? words.text("console.records.entity." + type) : type
    }

    static func fields(entityType: String, entityId: String, _ words: Localizer) -> [InputField] {
        let options =
            [("", words.text("console.records.entity.all"))]
            + types.map { ($0, label($0, words)) }.sorted { $0.1.localizedStandardCompare($1.1) == .orderedAscending }
        return [
            InputField(
                .select,
                name: "entityType",
                label: words.text("console.records.field.entityType"),
                value: entityType,
                options: options.map { (value: $0.0, label: $0.1) }
            ),
            InputField(.text, name: "entityId", label: words.text("console.records.field.entityId"), value: entityId),
        ]
    }

    /// `entityType=…&entityId=…&` for the next page's link.
    static func query(entityType: String, entityId: String) -> String {
        var query = ""
        if !entityType.isEmpty { query += "entityType=\(entityType)&" }
        if !entityId.isEmpty { query += "entityId=\(entityId.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")&" }
        return query
    }
}
