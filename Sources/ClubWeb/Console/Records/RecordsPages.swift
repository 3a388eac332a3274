import ClubCore
import ClubStore
import Foundation
import Hummingbird

extension ConsoleController {
    /// The records area of the console (docs/console.md): lessons, reports and the journal,
    /// the club's own (coordinators; others are told "not found").
    func addRecordPages(to router: Router<Context>) {
        router.get("/lessons") { request, _ in
            try await withSession(request, current: "/lessons") { signedIn, language in
                try await lessonsPage(request, signedIn, language)
            }
        }
        router.get("/reports") { request, _ in
            try await withSession(request, current: "/reports") { signedIn, language in
                try await reportsPage(request, signedIn, language)
            }
        }
        router.get("/reports/scorecards.csv") { request, _ in
            try await coordinatorDownload(request) { signedIn, _ in
                let sort = ScorecardSort(request)
                let cards = sort.sorted(try await allScorecards(signedIn))
                return Self.download(ReportsCSV.scorecards(cards), type: "text/csv; charset=utf-8", filename: "scorecards.csv")
            }
        }
        router.get("/reports/funnel.csv") { request, _ in
            try await coordinatorDownload(request) { signedIn, language in
                // A date that is not one counts as not given, as on the page (which names it).
                let period = FunnelPeriod(request, words: language.localizer, zone: signedIn.zone)
                let report = try await database.funnel(from: period.from, to: period.until, for: signedIn.principal)
                return Self.download(ReportsCSV.funnel(report), type: "text/csv; charset=utf-8", filename: "funnel.csv")
            }
        }
        router.get("/journal") { request, _ in
            try await withSession(request, current: "/journal") { signedIn, language in
                try await journalPage(request, signedIn, language, verification: nil)
            }
        }
        router.post("/journal/verify") { request, _ in
            guard let signedIn = try await signedIn(request) else { return PageSecurity.redirect(to: "/sign-in") }
            let body = try await request.body.collect(upTo: 64 * 1024)
            let form = FormFields(body: String(buffer: body))
            guard SessionSecret.isValid(csrfToken: form["csrf"] ?? "", for: signedIn.secret) else { return forbidden(request, signedIn) }
            return try await withSession(request, current: "/journal") { signedIn, language in
                try requireCoordinator(signedIn)
                // The same walk as `clubd journal verify`.
                let result = try database.verifyJournal()
                return try await journalPage(request, signedIn, language, verification: result)
            }
        }
    }

    // MARK: - Lessons

    private func lessonsPage(_ request: Request, _ signedIn: SignedIn, _ language: PageLanguage) async throws -> RenderedPage {
        try requireCoordinator(signedIn)
        let words = language.localizer
        let query = (request.uri.queryParameters["q"].map(String.init) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let cursor = request.uri.queryParameters["cursor"].map(String.init)
        let page = try PageRequest.parse(limit: nil, cursor: cursor)
        let lessons = try await database.lessons(matching: query.isEmpty ? nil : query, page: page, for: signedIn.principal)
        let rows = lessons.items.map {
            LessonRow(
                lesson: $0.lesson,
                engagement: RecordLink(
                    href: "/engagements/" + $0.engagementId,
                    label: words.text("console.records.lessons.engagement", ["id": $0.engagementId])
                ),
                recorded: words.format($0.recordedAt, zone: signedIn.zone, style: .date)
            )
        }
        var view = view(language, title: "console.records.lessons.title")
        let encoded = query.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        view.content = LessonsView(
            query: query,
            searched: !query.isEmpty,
            found: words.plural("console.records.lessons.found", count: rows.count, ["query": query]),
            rows: rows,
            hasRows: !rows.isEmpty,
            next: lessons.nextCursor.map { RecordLink(href: "/lessons?q=\(encoded)&cursor=\($0)", label: words.text("console.records.next")) }
        )
        return ("lessons", view, .ok)
    }

    // MARK: - Reports

    func allScorecards(_ signedIn: SignedIn) async throws -> [Scorecard] {
        var cards: [Scorecard] = []
        var after: Int64?
        repeat {
            let page = try await database.scorecards(page: PageRequest(limit: PageRequest.maxLimit, after: after), for: signedIn.principal)
            cards += page.items
            after = page.nextCursor.flatMap { Int64($0) }
        } while after != nil
        return cards
    }

    private func reportsPage(_ request: Request, _ signedIn: SignedIn, _ language: PageLanguage) async throws -> RenderedPage {
        try requireCoordinator(signedIn)
        let words = language.localizer
        let sort = ScorecardSort(request)
        let cards = sort.sorted(try await allScorecards(signedIn))
        let period = FunnelPeriod(request, words: words, zone: signedIn.zone)
        let report = try await database.funnel(from: period.from, to: period.until, for: signedIn.principal)
        let periodQuery = period.query
        let headers = ScorecardSort.columns.map { column in
            let sorted = column.key == sort.key
            let order = sorted && !sort.descending ? "desc" : (sorted ? "asc" : column.firstOrder)
            return SortHeader(
                label: words.text(column.label),
                href: "/reports?sort=\(column.key)&order=\(order)" + periodQuery,
                ariaSort: sorted ? (sort.descending ? "descending" : "ascending") : nil,
                arrow: sorted ? (sort.descending ? "↓" : "↑") : nil
            )
        }
        let rows = cards.map { card in
            ScorecardRow(
                name: card.name,
                href: "/studios/" + card.studioId,
                cells: ScorecardSort.columns.dropFirst().map { $0.display(card, words) }
            )
        }
        let statuses = LeadStatus.allCases
        let most = max(statuses.map { report.byStatus[$0.rawValue] ?? 0 }.max() ?? 0, 1)
        let bars = statuses.enumerated().map { index, status in
            let count = report.byStatus[status.rawValue] ?? 0
            let width = Int((Double(count) / Double(most) * Double(FunnelChart.barSpace)).rounded())
            let y = FunnelChart.top + index * FunnelChart.rowHeight
            return FunnelBar(
                label: words.text("console.records.status." + status.rawValue),
                count: String(count),
                labelY: y + FunnelChart.labelOffset,
                barY: y + FunnelChart.barOffset,
                countY: y + FunnelChart.countOffset,
                width: width,
                countX: width + 8
            )
        }
        let periodText = period.describe(words)
        let club = try await clubScoreView(period, signedIn, words)
        var view = view(language, title: "console.records.reports.title")
        view.errors = period.problems
        view.content = ReportsView(
            headers: headers,
            rows: rows,
            hasRows: !rows.isEmpty,
            scorecardsCSV: "/reports/scorecards.csv?sort=\(sort.key)&order=\(sort.descending ? "desc" : "asc")",
            fields: period.fields(words),
            period: periodText,
            chartLabel: words.text(
                "console.records.funnel.chartLabel",
                ["period": periodText, "bars": bars.map { "\($0.label) \($0.count)" }.joined(separator: ", ")]
            ),
            chartWidth: FunnelChart.width,
            chartHeight: FunnelChart.top * 2 + statuses.count * FunnelChart.rowHeight,
            barHeight: FunnelChart.barHeight,
            bars: bars,
            conversion: words.text(
                "console.records.funnel.conversion",
                [
                    "matched": String(report.matched), "total": String(report.total),
                    "share": report.conversion.map { ScorecardSort.percent($0, words) } ?? "—",
                ]
            ),
            funnelCSV: "/reports/funnel.csv" + (periodQuery.isEmpty ? "" : "?" + periodQuery.dropFirst()),
            club: club
        )
        return ("reports", view, period.problems.isEmpty ? .ok : .unprocessableContent)
    }

    /// The club's own score over the page's period (docs/design.md §3.12): its days counted on the
    /// club's clock, the last 90 days when none is chosen. A period that ends before it starts
    /// scores nothing rather than failing the page.
    private func clubScoreView(_ period: FunnelPeriod, _ signedIn: SignedIn, _ words: Localizer) async throws -> ClubScoreView {
        let first = Day(period.fromText)
        let last = Day(period.toText)
        if let first, let last, first > last {
            return ClubScoreView(period: words.text("console.records.club.noPeriod"), score: "", counts: "", comments: [], hasComments: false)
        }
        let report: ClubScoreReport
        do {
            report = try await database.clubScore(from: first, to: last, for: signedIn.principal)
        } catch DomainError.invalid {
            // Only a start after today, with no end given: nothing to score yet.
            return ClubScoreView(period: words.text("console.records.club.noPeriod"), score: "", counts: "", comments: [], hasComments: false)
        }
        let summary = report.summary
        let comments = report.comments.map { comment in
            ClubCommentRow(
                comment: comment.comment,
                score: words.text("console.records.club.rated", ["score": String(comment.score)]),
                client: comment.clientName,
                engagement: RecordLink(
                    href: "/engagements/" + comment.engagementId,
                    label: words.text("console.records.club.engagement", ["studio": comment.studioName])
                ),
                occasion: words.text("console.records.club.occasion." + comment.occasion.rawValue),
                given: words.format(comment.givenAt, zone: signedIn.zone, style: .date)
            )
        }
        return ClubScoreView(
            period: words.text("console.records.club.period", ["from": words.format(report.from), "to": words.format(report.to)]),
            score: summary.score.map { words.text("console.records.club.score", ["score": $0 > 0 ? "+\($0)" : String($0)]) }
                ?? words.text("console.records.club.noScore"),
            counts: words.plural("console.records.club.count", count: summary.count) + " "
                + words.text(
                    "console.records.club.breakdown",
                    ["promoters": String(summary.promoters), "passives": String(summary.passives), "detractors": String(summary.detractors)]
                ),
            comments: comments,
            hasComments: !comments.isEmpty
        )
    }

    // MARK: - Journal

    private func journalPage(
        _ request: Request,
        _ signedIn: SignedIn,
        _ language: PageLanguage,
        verification: JournalVerification?
    ) async throws -> RenderedPage {
        try requireCoordinator(signedIn)
        let words = language.localizer
        let parameters = request.uri.queryParameters
        let typed = (parameters["entityType"].map(String.init) ?? "").trimmingCharacters(in: .whitespaces)
        let entityType = JournalFilter.types.contains(typed) ? typed : ""
        let entityId = (parameters["entityId"].map(String.init) ?? "").trimmingCharacters(in: .whitespaces)
        let page = try PageRequest.parse(limit: nil, cursor: parameters["cursor"].map(String.init))
        let events = try await database.journal(
            entityType: entityType.isEmpty ? nil : entityType,
            entityId: entityId.isEmpty ? nil : entityId,
            page: page,
            for: signedIn.principal
        )
        let rows = events.items.map { event in
            JournalRow(
                seq: String(event.seq),
                at: words.format(event.at, zone: signedIn.zone),
                actor: event.actor.name,
                entityType: JournalFilter.label(event.entityType, words),
                entityId: event.entityId,
                href: JournalFilter.pages[event.entityType].map { $0 + event.entityId },
                action: event.action
            )
        }
        let filterQuery = JournalFilter.query(entityType: entityType, entityId: entityId)
        var view = view(language, title: "console.records.journal.title")
        let forms = forms(signedIn, language)
        view.content = JournalView(
            fields: JournalFilter.fields(entityType: entityType, entityId: entityId, words),
            rows: rows,
            hasRows: !rows.isEmpty,
            next: events.nextCursor.map { RecordLink(href: "/journal?\(filterQuery)cursor=\($0)", label: words.text("console.records.next")) },
            verifyForm: forms.form(action: "/journal/verify", submit: "console.records.journal.verify", secondary: true),
            verification: verification.map { result in
                switch result {
                case .intact(let count, let head):
                    VerificationView(
                        intact: true,
                        message: words.plural("console.records.journal.intact", count: count),
                        head: words.text("console.records.journal.head", ["hash": head])
                    )
                case .broken(let seq, let id, let reason):
                    VerificationView(
                        intact: false,
                        message: words.text("console.records.journal.broken", ["seq": String(seq), "id": id, "reason": reason]),
                        head: nil
                    )
                }
            }
        )
        return ("journal", view, .ok)
    }
}
