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

    init(complaint: Complaint, role: Role, words: Localizer, zone: TimeZone, now: Date) {
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
                        isOverdue: step.isOverdue(at: now)
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
                    row(
                        "console.complaints.field.upheld",
                        role == .client ? nil : words.text(resolution.upheld ? "console.complaints.yes" : "console.complaints.no")
                    ),
                    row(
                        "console.complaints.resolved",
                        words.text("console.complaints.byOn", ["name": resolution.resolvedBy, "date": date(resolution.resolvedAt)])
                    ),
                ]
                .compactMap { $0 }
            } ?? []
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
