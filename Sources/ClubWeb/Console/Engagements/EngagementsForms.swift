import ClubCore
import ClubStore
import Foundation
import Hummingbird

extension ConsoleController {
    /// The engagement's own forms: status and stages, agreements, check-ins.
    func addEngagementForms(to router: Router<Context>) {
        router.post("/engagements/:id") { request, context in
            let id = try context.parameters.require("id")
            return try await engagementOrNotFound(request) {
                try await submit(
                    request,
                    context,
                    current: "/engagements/" + id,
                    render: { signedIn, language, forms in try await engagementPage(id, signedIn, language, forms) },
                    perform: { signedIn, reader in
                        let status = reader.choice("status", as: EngagementStatus.self)
                        let version = reader.int("version")
                        try reader.finish()
                        let patch = EngagementPatch(status: status, stagesReached: reader.form.checked("stagesReached"))
                        _ = try await database.updateEngagement(id, patch, ifVersion: version, by: signedIn.principal)
                        return "/engagements/" + id
                    }
                )
            }
        }
        router.post("/engagements/:id/agreements") { request, context in
            let id = try context.parameters.require("id")
            return try await engagementOrNotFound(request) {
                try await submit(
                    request,
                    context,
                    current: "/engagements/" + id,
                    render: { signedIn, language, forms in try await engagementPage(id, signedIn, language, forms) },
                    perform: { signedIn, reader in
                        let owner = reader.requiredChoice("owner", as: AgreementOwner.self)
                        let due = reader.requiredDay("due")
                        try reader.finish()
                        guard let owner else { throw FormProblems(problems: []) }
                        let input = AgreementInput(
                            what: reader.form.text("what"),
                            owner: owner,
                            due: due,
                            consequence: reader.form.text("consequence")
                        )
                        _ = try await database.addAgreement(id, input, by: signedIn.principal)
                        return "/engagements/" + id + "#agreements-heading"
                    }
                )
            }
        }
        // Fulfilled by a coordinator, confirmed by each party: one route each.
        for step in ["fulfil", "confirm"] {
            addAgreementStep(step, to: router)
        }
        router.post("/engagements/:id/check-ins") { request, context in
            let id = try context.parameters.require("id")
            return try await engagementOrNotFound(request) {
                try await submit(
                    request,
                    context,
                    current: "/engagements/" + id,
                    render: { signedIn, language, forms in try await engagementPage(id, signedIn, language, forms) },
                    perform: { signedIn, reader in
                        let heldAt = reader.requiredTime("heldAt")
                        let sentiment = reader.requiredInt("clientSentiment")
                        try reader.finish()
                        let input = CheckInInput(
                            heldAt: heldAt,
                            attendees: reader.form.lines("attendees"),
                            studioReport: reader.form.text("studioReport"),
                            clientSentiment: sentiment,
                            risks: reader.form.lines("risks")
                        )
                        _ = try await database.addCheckIn(id, input, by: signedIn.principal)
                        return "/engagements/" + id + "#check-ins-heading"
                    }
                )
            }
        }
    }

    /// `POST /agreements/{id}/fulfil` or `…/confirm`, shown again on the engagement's page.
    private func addAgreementStep(_ step: String, to router: Router<Context>) {
        router.post(RouterPath("/agreements/:id/" + step)) { request, context in
            let id = try context.parameters.require("id")
            // The engagement the form was on, to show its page again if the store refuses.
            let body = try await request.body.collect(upTo: 64 * 1024)
            let engagementId = FormFields(body: String(buffer: body)).text("engagementId")
            var replay = request
            replay.body = .init(buffer: body)
            return try await engagementOrNotFound(request) {
                try await submit(
                    replay,
                    context,
                    current: "/engagements/" + engagementId,
                    render: { signedIn, language, forms in try await engagementPage(engagementId, signedIn, language, forms) },
                    perform: { signedIn, _ in
                        let agreement =
                            step == "confirm"
                            ? try await database.confirmAgreement(id, by: signedIn.principal)
                            : try await database.fulfilAgreement(id, by: signedIn.principal)
                        return "/engagements/" + agreement.engagementId + "#agreements-heading"
                    }
                )
            }
        }
    }
}
