import ClubCore
import ClubStore
import Foundation

/// The studio's forms: their inputs, named as the API's JSON fields, and how a posted form
/// becomes the store's input.
enum StudioForm {
    /// Inputs that carry a whole list (checkboxes, a comma-separated text).
    static let lists: Set<String> = ["competences", "regions"]

    static func fields(_ studio: Studio?, _ rules: ClubRules, _ words: Localizer) -> [InputField] {
        [
            InputField(.text, name: "name", label: words.text("console.studios.field.name"), value: studio?.name ?? "", required: true),
            InputField(
                .checkboxes,
                name: "competences",
                label: words.text("console.studios.field.competences"),
                options: rules.competences.sorted().map { ($0, StudioWords.competence($0, words)) },
                selected: studio?.competences ?? [],
                required: true
            ),
            InputField(
                .text,
                name: "regions",
                label: words.text("console.studios.field.regions"),
                value: studio?.regions.joined(separator: ", ") ?? "",
                hint: words.text("console.studios.field.regionsHint")
            ),
            InputField(
                .number,
                name: "budgetMin",
                label: words.text("console.studios.field.budgetMin"),
                value: studio.map { String($0.budgetMin) } ?? "",
                hint: words.text("console.studios.field.budgetHint"),
                required: true
            ),
            InputField(
                .number,
                name: "budgetMax",
                label: words.text("console.studios.field.budgetMax"),
                value: studio.map { String($0.budgetMax) } ?? "",
                hint: words.text("console.studios.field.budgetHint"),
                required: true
            ),
            InputField(
                .number,
                name: "capacity",
                label: words.text("console.studios.field.capacity"),
                value: studio.map { String($0.capacity) } ?? "",
                hint: words.text("console.studios.field.capacityHint"),
                required: true
            ),
            InputField(.text, name: "website", label: words.text("console.studios.field.website"), value: studio?.website ?? ""),
            InputField(
                .textarea,
                name: "internalNote",
                label: words.text("console.studios.field.internalNote"),
                value: studio?.internalNote ?? "",
                hint: words.text("console.studios.field.internalNoteHint")
            ),
        ]
    }

    static func input(_ reader: inout FormReader) -> StudioInput {
        let budgetMin = reader.requiredInt("budgetMin")
        let budgetMax = reader.requiredInt("budgetMax")
        let capacity = reader.requiredInt("capacity")
        return StudioInput(
            name: reader.form.text("name"),
            competences: reader.form.checked("competences"),
            regions: StudioWords.list(reader.form.text("regions")),
            budgetMin: budgetMin,
            budgetMax: budgetMax,
            capacity: capacity,
            website: reader.form.optionalText("website"),
            internalNote: reader.form.optionalText("internalNote")
        )
    }

    /// The whole profile as the form shows it: an emptied website or note is cleared.
    static func patch(_ reader: inout FormReader) -> StudioPatch {
        let budgetMin = reader.requiredInt("budgetMin")
        let budgetMax = reader.requiredInt("budgetMax")
        let capacity = reader.requiredInt("capacity")
        return StudioPatch(
            name: reader.form.text("name"),
            competences: reader.form.checked("competences"),
            regions: StudioWords.list(reader.form.text("regions")),
            budgetMin: budgetMin,
            budgetMax: budgetMax,
            capacity: capacity,
            website: reader.form.text("website"),
            internalNote: reader.form.text("internalNote")
        )
    }

    static func vettingFields(_ words: Localizer) -> [InputField] {
        [
            InputField(
                .select,
                name: "kind",
                label: words.text("console.studios.check.kind"),
                options: [("", words.text("console.studios.check.choose"))]
                    + VettingCheckKind.allCases.map { ($0.rawValue, StudioWords.check($0, words)) },
                required: true
            ),
            InputField(
                .radios,
                name: "passed",
                label: words.text("console.studios.check.result"),
                options: [
                    (PassedChoice.yes.rawValue, words.text("console.studios.check.passed")),
                    (PassedChoice.no.rawValue, words.text("console.studios.check.failed")),
                ],
                required: true
            ),
            InputField(.textarea, name: "notes", label: words.text("console.studios.check.notes")),
        ]
    }

    static func profile(_ studio: Studio, _ words: Localizer, _ when: (Date) -> String) -> [StudioFact] {
        [
            StudioFact(label: words.text("console.studios.field.status"), value: StudioWords.status(studio.status, words)),
            StudioFact(
                label: words.text("console.studios.field.competences"),
                value: studio.competences.map { StudioWords.competence($0, words) }.joined(separator: ", ")
            ),
            StudioFact(
                label: words.text("console.studios.field.regions"),
                value: studio.regions.isEmpty ? "—" : studio.regions.joined(separator: ", ")
            ),
            StudioFact(
                label: words.text("console.studios.field.budget"),
                value: StudioWords.number(studio.budgetMin, words) + " – " + StudioWords.number(studio.budgetMax, words)
            ),
            StudioFact(label: words.text("console.studios.field.capacity"), value: StudioWords.number(studio.capacity, words)),
            StudioFact(label: words.text("console.studios.field.website"), value: studio.website ?? "—"),
            StudioFact(label: words.text("console.studios.field.internalNote"), value: studio.internalNote ?? "—"),
            StudioFact(label: words.text("console.studios.field.updated"), value: when(studio.updatedAt)),
            StudioFact(label: words.text("console.studios.field.version"), value: String(studio.version)),
        ]
    }

    static func scorecard(_ card: Scorecard, _ words: Localizer) -> [StudioFact] {
        func count(_ value: Int) -> String { StudioWords.number(value, words) }
        return [
            StudioFact(label: words.text("console.studios.score.feedbackCount"), value: count(card.feedbackCount)),
            StudioFact(label: words.text("console.studios.score.averageFeedback"), value: StudioWords.decimal(card.averageFeedback, words)),
            StudioFact(label: words.text("console.studios.score.referralsOffered"), value: count(card.referralsOffered)),
            StudioFact(label: words.text("console.studios.score.referralsAccepted"), value: count(card.referralsAccepted)),
            StudioFact(label: words.text("console.studios.score.referralsDeclined"), value: count(card.referralsDeclined)),
            StudioFact(label: words.text("console.studios.score.referralsExpired"), value: count(card.referralsExpired)),
            StudioFact(label: words.text("console.studios.score.acceptanceRate"), value: StudioWords.percent(card.acceptanceRate, words)),
            StudioFact(label: words.text("console.studios.score.medianAnswerHours"), value: StudioWords.decimal(card.medianAnswerHours, words)),
            StudioFact(label: words.text("console.studios.score.upheldComplaints"), value: count(card.upheldComplaints)),
            StudioFact(label: words.text("console.studios.score.fixItemsStruck"), value: count(card.fixItemsStruck)),
            StudioFact(label: words.text("console.studios.score.fixItemsStruckLate"), value: count(card.fixItemsStruckLate)),
            StudioFact(label: words.text("console.studios.score.fixesOnTimeShare"), value: StudioWords.percent(card.fixesOnTimeShare, words)),
            StudioFact(label: words.text("console.studios.score.fixItemsReopened"), value: count(card.fixItemsReopened)),
            StudioFact(label: words.text("console.studios.score.auditAccepted"), value: count(card.auditFindingsAccepted)),
            StudioFact(label: words.text("console.studios.score.auditPartly"), value: count(card.auditFindingsPartlyAccepted)),
            StudioFact(label: words.text("console.studios.score.auditDisputed"), value: count(card.auditFindingsDisputed)),
        ]
    }

    /// Decisions that remove or suspend a studio ask first; admitting and reinstating do not.
    static func confirmation(_ decision: StudioDecision?, name: String) -> ConfirmStep? {
        let args = ["name": name]
        switch decision {
        case .reject:
            return ConfirmStep(
                question: "console.studios.confirm.reject.question",
                consequence: "console.studios.confirm.reject.consequence",
                button: "console.studios.confirm.reject.button",
                args: args
            )
        case .suspend:
            return ConfirmStep(
                question: "console.studios.confirm.suspend.question",
                consequence: "console.studios.confirm.suspend.consequence",
                button: "console.studios.confirm.suspend.button",
                args: args
            )
        case .expel:
            return ConfirmStep(
                question: "console.studios.confirm.expel.question",
                consequence: "console.studios.confirm.expel.consequence",
                button: "console.studios.confirm.expel.button",
                args: args
            )
        case .admit, .reinstate, nil:
            return nil
        }
    }
}
