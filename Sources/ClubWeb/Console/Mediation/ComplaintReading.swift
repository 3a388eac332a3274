import ClubCore
import Foundation

/// A complaint in words, as its reader may read it: the club reads everything; the client reads
/// the facts of the meeting, the follow-ups and the money; the studio neither (the meeting is
/// held without it); goals and steps kept to the club (or to the other side) are left out.
struct ComplaintReading {
    let details: [DetailRow]
    let meeting: MeetingView?
    let plan: PlanView?
    let studioAccount: [DetailRow]
    let resolution: [DetailRow]
    /// What the club told the client on receiving the complaint (the club and the client read it).
    let acknowledgement: [DetailRow]
    /// Updates given to the client, oldest first: when and how as the label, what as the value.
    let updates: [DetailRow]
    /// The agreed rhythm of updates and, when one is overdue, since when.
    let rhythm: String?
    /// The client's answers to resolutions, oldest first.
    let answers: [DetailRow]

    /// `zone` is the reader's, for the times shown; `clubZone` the club's, which judges due days.
    init(complaint: Complaint, role: Role, words: Localizer, zone: TimeZone, clubZone: TimeZone, now: Date) {
        let club = role == .coordinator
        let client = club || role == .client
        func date(_ date: Date) -> String { words.format(date, zone: zone) }
        func row(_ key: String, _ value: String?) -> DetailRow? {
            guard let value, !value.isEmpty else { return nil }
            return DetailRow(label: words.text(key), value: value)
        }
        func visible(_ visibility: Visibility) -> Bool {
            switch visibility {
            case .shared: true
            case .internal: club
            case .client: client
            case .studio: club || role == .studio
            }
        }
        let demand = complaint.demand
        details = [
            row("console.complaints.field.receivedAt", date(complaint.receivedAt)),
            row("console.complaints.field.channel", complaint.channel),
            row("console.complaints.field.summary", complaint.summary),
            row("console.complaints.field.demandKind", Self.demand(demand, words)),
            row("console.complaints.field.demandNote", demand.note),
            row("console.complaints.field.internalNote", club ? complaint.internalNote : nil),
        ]
        .compactMap { $0 }
        meeting = complaint.meeting.map { meeting in
            MeetingView(
                details: [
                    row("console.complaints.field.heldAt", date(meeting.heldAt)),
                    row("console.complaints.field.mode", meeting.mode.map { words.text(ComplaintWords.modeKey($0)) }),
                    row("console.complaints.field.attendees", client ? meeting.attendees?.joined(separator: ", ") : nil),
                    row(
                        "console.complaints.field.studiosPresent",
                        words.text(meeting.studiosPresent ? "console.complaints.yes" : "console.complaints.no")
                    ),
                    row("console.complaints.field.meetingNotes", club ? meeting.notes : nil),
                    row("console.complaints.recordedBy", meeting.recordedBy),
                ]
                .compactMap { $0 },
                facts: client ? meeting.facts : [],
                hasFacts: client && !meeting.facts.isEmpty,
                emotions: club ? meeting.emotions : [],
                hasEmotions: club && !meeting.emotions.isEmpty
            )
        }
        plan = complaint.plan.map { plan in
            PlanView(
                goals: plan.goals.filter { visible($0.visibility) }.map { GoalRow(text: $0.text, isInternal: $0.visibility == .internal) },
                steps: plan.steps.filter { visible($0.visibility) }.map { step in
                    StepRow(
                        action: step.action,
                        owner: words.text(ComplaintWords.ownerKey(step.owner)),
                        due: words.format(step.due),
                        done: step.doneAt.map { words.text("console.complaints.doneAt", ["date": date($0)]) }
                            ?? words.text("console.complaints.notDone"),
                        isDone: step.doneAt != nil,
                        isOverdue: step.isOverdue(at: now, in: clubZone)
                    )
                },
                followUps: client ? plan.followUps : [],
                hasFollowUps: client && !plan.followUps.isEmpty,
                details: [
                    row("console.complaints.field.upsell", club ? plan.upsell : nil),
                    row(
                        "console.complaints.proposed",
                        words.text("console.complaints.byOn", ["name": plan.proposedBy, "date": date(plan.proposedAt)])
                    ),
                    row(
                        "console.complaints.approved",
                        plan.approvedAt.map { words.text("console.complaints.byOn", ["name": plan.approvedBy ?? "", "date": date($0)]) }
                    ),
                ]
                .compactMap { $0 }
            )
        }
        studioAccount =
            complaint.studioAccount.map { account in
                [
                    DetailRow(label: words.text("console.complaints.field.account"), value: account.account),
                    DetailRow(
                        label: words.text("console.complaints.recordedBy"),
                        value: words.text("console.complaints.byOn", ["name": account.by, "date": date(account.at)])
                    ),
                ]
            } ?? []
        resolution =
            complaint.resolution.map { resolution in
                [
                    row("console.complaints.field.outcome", words.text(ComplaintWords.outcomeKey(resolution.outcome))),
                    row("console.complaints.field.refund", client ? resolution.amount.map { Self.money($0) } : nil),
                    row("console.complaints.field.resolutionNotes", client ? resolution.notes : nil),
                    row("console.complaints.field.upsell", club ? resolution.upsell : nil),
                    row("console.complaints.field.upheld", role == .client ? nil : words.text(ComplaintWords.upheldKey(resolution.upheld))),
                    row("console.complaints.field.upheldReason", role == .client ? nil : resolution.upheldReason),
                    row(
                        "console.complaints.resolved",
                        words.text("console.complaints.byOn", ["name": resolution.resolvedBy, "date": date(resolution.resolvedAt)])
                    ),
                ]
                .compactMap { $0 }
            } ?? []
        acknowledgement =
            complaint.acknowledgement.flatMap { ack -> [DetailRow]? in
                guard client else { return nil }
                return [
                    row("console.complaints.field.sentAt", date(ack.sentAt)),
                    row("console.complaints.field.channel", ack.channel),
                    row("console.complaints.field.message", ack.message),
                    row("console.complaints.field.apology", words.text(ack.apology ? "console.complaints.yes" : "console.complaints.no")),
                    row("console.complaints.recordedBy", words.text("console.complaints.byOn", ["name": ack.by, "date": date(ack.recordedAt)])),
                ]
                .compactMap { $0 }
            } ?? []
        updates =
            client
            ? complaint.updates.map { update in
                DetailRow(
                    label: words.text(
                        "console.complaints.updates.line",
                        ["date": date(update.sentAt), "channel": update.channel, "name": update.by]
                    ),
                    value: update.summary
                )
            } : []
        if client, let every = complaint.plan?.updateEveryDays {
            let agreed = words.plural("console.complaints.updates.rhythm", count: every)
            rhythm =
                complaint.missedUpdate(at: now, in: clubZone).map { missed in
                    agreed + " " + words.plural("console.complaints.updates.late", count: missed.daysLate, ["date": words.format(missed.due)])
                } ?? agreed
        } else {
            rhythm = nil
        }
        answers = complaint.resolutionAnswers.map { answer in
            let said = words.text(answer.satisfied ? "console.complaints.answer.satisfied" : "console.complaints.answer.contested")
            // The studio reads that the client answered and when; who and in what words is the client's.
            let who =
                !client
                ? date(answer.at)
                : words.text(
                    answer.onBehalf ? "console.complaints.answer.onBehalf" : "console.complaints.byOn",
                    ["name": answer.by, "date": date(answer.at)]
                )
            return DetailRow(label: said, value: [client ? answer.comment : nil, who].compactMap { $0 }.joined(separator: " — "))
        }
    }

    static func demand(_ demand: ComplaintDemand, _ words: Localizer) -> String {
        let kind = words.text(ComplaintWords.demandKindKey(demand.kind))
        guard let amount = demand.amount else { return kind }
        return words.text("console.complaints.demandAmount", ["kind": kind, "amount": money(amount)])
    }

    /// 300000 → "300 000": digits grouped by three with a no-break space.
    static func money(_ amount: Int) -> String {
        let digits = Array(String(abs(amount)))
        var groups: [String] = []
        var end = digits.count
        while end > 0 {
            let start = max(0, end - 3)
            groups.insert(String(digits[start..<end]), at: 0)
            end = start
        }
        return (amount < 0 ? "-" : "") + groups.joined(separator: "\u{00A0}")
    }
}
