import ClubCore

/// Text that is to sit in HTML next to markup the catalog must not hold ("Struck by <b>{name}</b>
/// on {date}"): the catalog's text is escaped, then its placeholders are filled with fragments the
/// caller built from escaped values. The template shows the result with `{{{…}}}`.
enum HTMLText {
    static func escape(_ text: String) -> String { text.htmlEscaped }

    /// `text` escaped and set in bold.
    static func bold(_ text: String) -> String { "<b>" + escape(text) + "</b>" }

    /// The catalog text of `key`, escaped, with `fragments` (already HTML) in its placeholders.
    static func text(_ localizer: Localizer, _ key: String, _ fragments: [String: String]) -> String {
        Localizer.fill(escape(localizer.template(key)), fragments)
    }
}
