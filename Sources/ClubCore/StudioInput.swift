/// Input of `POST /v1/studios`.
public struct StudioInput: Codable, Sendable {
    public let name: String
    public let competences: [String]
    public let regions: [String]?
    public let budgetMin: Int
    public let budgetMax: Int
    public let capacity: Int
    /// Part of the studio's public profile, as its competences and regions.
    public let website: String?
    /// The club's own note (internal).
    public let internalNote: String?

    public init(
        name: String,
        competences: [String],
        regions: [String]? = nil,
        budgetMin: Int,
        budgetMax: Int,
        capacity: Int,
        website: String? = nil,
        internalNote: String? = nil
    ) {
        self.name = name
        self.competences = competences
        self.regions = regions
        self.budgetMin = budgetMin
        self.budgetMax = budgetMax
        self.capacity = capacity
        self.website = website
        self.internalNote = internalNote
    }

    struct Fields: Equatable {
        let name: String
        let competences: [String]
        let regions: [String]
        let budgetMin: Int
        let budgetMax: Int
        let capacity: Int
        let website: String?
        let internalNote: String?
    }

    func validated(rules: ClubRules) throws -> Fields {
        var validator = Validator()
        let name = validator.text(name, "name")
        let competences = validator.textList(competences, "competences", allowEmpty: false)
        rules.validateCompetences(competences, field: "competences", into: &validator)
        let regions = validator.textList(regions ?? [], "regions")
        validator.check(budgetMin >= 0 && budgetMin <= Limits.maxAmount, "budgetMin", "must be from 0 to \(Limits.maxAmount)")
        validator.check(budgetMax >= 0 && budgetMax <= Limits.maxAmount, "budgetMax", "must be from 0 to \(Limits.maxAmount)")
        validator.check(budgetMin <= budgetMax, "budgetMax", "must not be below budgetMin")
        validator.check((1...Limits.maxCapacity).contains(capacity), "capacity", "must be from 1 to \(Limits.maxCapacity) concurrent engagements")
        let website = validator.website(website)
        let internalNote = validator.internalNote(internalNote)
        try validator.finish()
        return Fields(
            name: name,
            competences: competences,
            regions: regions,
            budgetMin: budgetMin,
            budgetMax: budgetMax,
            capacity: capacity,
            website: website,
            internalNote: internalNote
        )
    }
}

/// Input of `PATCH /v1/studios/{id}`: every field optional. Status is not here on purpose: it
/// changes only through decisions.
public struct StudioPatch: Codable, Sendable {
    public let name: String?
    public let competences: [String]?
    public let regions: [String]?
    public let budgetMin: Int?
    public let budgetMax: Int?
    public let capacity: Int?
    /// An empty text clears it.
    public let website: String?
    /// An empty text clears it.
    public let internalNote: String?

    public init(
        name: String? = nil,
        competences: [String]? = nil,
        regions: [String]? = nil,
        budgetMin: Int? = nil,
        budgetMax: Int? = nil,
        capacity: Int? = nil,
        website: String? = nil,
        internalNote: String? = nil
    ) {
        self.name = name
        self.competences = competences
        self.regions = regions
        self.budgetMin = budgetMin
        self.budgetMax = budgetMax
        self.capacity = capacity
        self.website = website
        self.internalNote = internalNote
    }
}
