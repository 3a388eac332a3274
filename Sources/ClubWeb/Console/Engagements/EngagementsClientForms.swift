import ClubCore
import ClubStore
import Foundation
import Hummingbird

extension ConsoleController {
    /// The client's own forms on its engagement (issue 11): feedback on a stage that lacks it
    /// (`POST /engagements/{id}/feedback`, as `POST /v1/engagements/{id}/feedback`) and the club's
    /// rating when the client is asked (`POST /engagements/{id}/club-rating`, and
    /// `…/club-rating/{complaintId}` for a complaint's resolution, as `POST /v1/engagements/{id}/club-rating`).
    func addClientEngagementForms(to router: Router<Context>) {
        router.post("/engagements/:id/feedback") { request, context in
            let id = try context.parameters.require("id")
            return try await engagementOrNotFound(request) {
                try await submit(
                    request,
                    context,
                    current: "/engagements/" + id,
                    render: { signedIn, language, forms in try await engagementPage(id, signedIn, language, forms) },
                    perform: { signedIn, reader in
                        let score = reader.requiredInt("score")
                        try reader.finish()
                        let input = FeedbackInput(stage: reader.form.text("stage"), score: score, comment: reader.form.optionalText("comment"))
                        _ = try await database.giveFeedback(id, input, by: signedIn.principal)
                        return "/engagements/" + id + "#feedback-heading"
                    }
                )
            }
        }
        router.post("/engagements/:id/club-rating") { request, context in
            let id = try context.parameters.require("id")
            return try await rateClub(request, context, id, complaintId: nil)
        }
        router.post("/engagements/:id/club-rating/:complaint") { request, context in
            let id = try context.parameters.require("id")
            return try await rateClub(request, context, id, complaintId: try context.parameters.require("complaint"))
        }
    }

    private func rateClub(_ request: Request, _ context: Context, _ id: String, complaintId: String?) async throws -> Response {
        try await engagementOrNotFound(request) {
            try await submit(
                request,
                context,
                current: "/engagements/" + id,
                render: { signedIn, language, forms in try await engagementPage(id, signedIn, language, forms) },
                perform: { signedIn, reader in
                    let score = reader.requiredInt("score")
                    try reader.finish()
                    let input = ClubRatingInput(
                        score: score,
                        comment: reader.form.optionalText("comment"),
                        occasion: complaintId == nil ? .engagementEnded : .complaintResolved,
                        complaintId: complaintId
                    )
                    _ = try await database.rateClub(id, input, by: signedIn.principal)
                    return "/engagements/" + id + "#feedback-heading"
                }
            )
        }
    }

    /// The feedback form while a stage lacks the client's word, and one rating form per moment
    /// the client is asked about the club. Only the client's person sees them.
    func addClientForms(
        to page: inout EngagementPageView,
        _ record: EngagementRecord,
        _ ratingStatus: ClubRatingStatus?,
        _ principal: Principal,
        _ words: Localizer,
        _ zone: TimeZone,
        _ forms: FormContext
    ) {
        guard principal.role == .client else { return }
        let base = "/engagements/" + record.engagement.id
        // Several forms on the page take a `score`: each keeps its ids apart, except the one just
        // refused, whose ids the error summary links to by the field's name.
        func prefix(_ action: String, _ name: String) -> String? { forms.postedAction == action ? nil : name }
        let stages = record.stagesAwaitingFeedback
        if Policy.allows(principal, .giveFeedback), !stages.isEmpty {
            let action = base + "/feedback"
            page.feedbackForm = forms.form(
                action: action,
                submit: "console.parties.feedback.button",
                fields: [
                    InputField(
                        .radios,
                        name: "stage",
                        label: words.text("console.parties.feedback.stage"),
                        value: stages.count == 1 ? stages[0] : "",
                        options: stages.map { ($0, $0) }
                    ),
                    InputField(
                        .radios,
                        name: "score",
                        label: words.text("console.parties.feedback.score"),
                        hint: words.text("console.parties.feedback.scoreHint"),
                        options: (1...5).map { (String($0), String($0)) }
                    ),
                    InputField(.textarea, name: "comment", label: words.text("console.parties.feedback.comment")),
                ],
                labelledBy: "feedback-form-heading",
                idPrefix: prefix(action, "feedback")
            )
        }
        guard Policy.allows(principal, .rateClub), let ratingStatus else { return }
        page.ratingForms = ratingStatus.awaited.enumerated().map { index, moment in
            let action = base + "/club-rating" + (moment.complaintId.map { "/" + $0 } ?? "")
            let headingId = "rating-form-\(index)"
            let title =
                moment.occasion == .engagementEnded
                ? words.text("console.parties.rating.ended")
                : words.text("console.parties.rating.complaint", ["date": words.format(moment.since, zone: zone, style: .date)])
            let form = forms.form(
                action: action,
                submit: "console.parties.rating.button",
                fields: [
                    InputField(
                        .radios,
                        name: "score",
                        label: words.text("console.parties.rating.score"),
                        hint: words.text("console.parties.rating.scoreHint"),
                        options: (0...10).map { (String($0), String($0)) }
                    ),
                    InputField(.textarea, name: "comment", label: words.text("console.parties.rating.comment")),
                ],
                labelledBy: headingId,
                idPrefix: prefix(action, "rating-\(index)")
            )
            return ClubRatingFormLine(headingId: headingId, title: title, form: form)
        }
        page.hasRatingForms = !page.ratingForms.isEmpty
    }
}
