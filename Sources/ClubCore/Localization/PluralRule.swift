/// A plural form, as CLDR names them. A catalog text that depends on a count gives one string per
/// category its language uses (English: `one`, `other`; Russian: `one`, `few`, `many`, `other`).
public enum PluralCategory: String, Sendable, CaseIterable, Codable {
    case zero, one, two, few, many, other
}

/// Which plural form a whole number takes in a language: CLDR's cardinal rules for integers
/// (https://www.unicode.org/cldr/charts/latest/supplemental/language_plural_rules.html). Counts
/// in the club are whole numbers, so the forms CLDR reserves for fractions or compact exponents
/// are left out, except `other`, which every language has and every plural entry must give.
public struct PluralRule: Sendable {
    /// The categories a catalog must give for this language, in CLDR order.
    public let categories: [PluralCategory]
    private let select: @Sendable (Int) -> PluralCategory

    init(_ categories: [PluralCategory], select: @escaping @Sendable (Int) -> PluralCategory) {
        self.categories = categories
        self.select = select
    }

    public func category(for count: Int) -> PluralCategory {
        select(count == .min ? .max : abs(count))
    }

    /// The rule of a language by its code (`ru`, `en`, `pt-BR`: the primary subtag decides).
    /// A language not in the table gets English's: `one` for 1, `other` for the rest.
    public static func forLanguage(_ code: String) -> PluralRule {
        let primary = code.lowercased().split(whereSeparator: { $0 == "-" || $0 == "_" }).first.map(String.init) ?? ""
        return table[primary] ?? oneOther
    }

    /// 1 → one; everything else → other (English, German, Dutch, the Scandinavian languages,
    /// Italian, Spanish, Greek, Turkish, Kazakh, …).
    public static let oneOther = PluralRule([.one, .other]) { $0 == 1 ? .one : .other }

    /// 0 and 1 → one (French, Portuguese, Armenian).
    public static let zeroAndOneAreOne = PluralRule([.one, .other]) { $0 <= 1 ? .one : .other }

    /// Russian, Ukrainian, Belarusian: 1, 21, 101 → one; 2–4, 22–24 → few; 0, 5–20, 25–30,
    /// 111–114 → many.
    public static let eastSlavic = PluralRule([.one, .few, .many, .other]) { n in
        let (lastDigit, lastTwo) = (n % 10, n % 100)
        if lastDigit == 1, lastTwo != 11 { return .one }
        if (2...4).contains(lastDigit), !(12...14).contains(lastTwo) { return .few }
        return .many
    }

    /// Polish: 1 → one; 2–4, 22–24 (not 12–14) → few; the rest → many.
    public static let polish = PluralRule([.one, .few, .many, .other]) { n in
        if n == 1 { return .one }
        let (lastDigit, lastTwo) = (n % 10, n % 100)
        if (2...4).contains(lastDigit), !(12...14).contains(lastTwo) { return .few }
        return .many
    }

    /// Czech, Slovak: 1 → one; 2–4 → few; the rest → other.
    public static let westSlavic = PluralRule([.one, .few, .other]) { n in
        n == 1 ? .one : (2...4).contains(n) ? .few : .other
    }

    /// No plural forms (Chinese, Japanese, Korean, Vietnamese, Thai, Indonesian).
    public static let invariable = PluralRule([.other]) { _ in .other }

    static let table: [String: PluralRule] = {
        var table: [String: PluralRule] = [:]
        for code in ["ru", "uk", "be"] { table[code] = eastSlavic }
        table["pl"] = polish
        for code in ["cs", "sk"] { table[code] = westSlavic }
        for code in ["fr", "pt", "hy"] { table[code] = zeroAndOneAreOne }
        for code in ["zh", "ja", "ko", "vi", "th", "id", "ms"] { table[code] = invariable }
        return table
    }()
}
