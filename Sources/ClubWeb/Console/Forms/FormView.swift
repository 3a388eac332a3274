import ClubCore
import Foundation

/// One choice of a select, a radio group or a group of checkboxes.
struct ChoiceOption {
    let value: String
    let label: String
    let selected: Bool
    /// The id of its own input (checkboxes and radios have one each).
    let id: String
}

/// One input of a console form, with what the person typed, its problem and hint. The template
/// `field` renders it with its label, hint and error message tied to it by `aria-describedby`
/// (GOV.UK's pattern), so every page's forms look and behave alike.
struct InputField {
    enum Kind: String {
        case text, textarea, number, date, dateTime, select, checkboxes, radios, checkbox, email
    }

    let name: String
    private(set) var id: String
    let label: String
    var hint: String?
    var error: String?
    var value: String
    /// What the person typed when someone else changed the object meanwhile (shown under it).
    var yours: String?
    var options: [ChoiceOption]
    let kind: String
    // Flags, for Mustache reads stored properties only.
    let isText: Bool
    let isTextarea: Bool
    let isNumber: Bool
    let isDate: Bool
    let isDateTime: Bool
    let isSelect: Bool
    let isGroup: Bool
    let isRadios: Bool
    let isCheckbox: Bool
    let isEmail: Bool
    var required: Bool
    var checked: Bool

    init(
        _ kind: Kind,
        name: String,
        label: String,
        value: String = "",
        hint: String? = nil,
        options: [(value: String, label: String)] = [],
        selected: [String] = [],
        required: Bool = false
    ) {
        self.name = name
        id = Self.id(for: name)
        self.label = label
        self.hint = hint
        self.value = value
        self.kind = kind.rawValue
        self.required = required
        let chosen = Set(selected.isEmpty && !value.isEmpty ? [value] : selected)
        self.options = options.enumerated().map { index, option in
            ChoiceOption(value: option.value, label: option.label, selected: chosen.contains(option.value), id: "\(Self.id(for: name))-\(index)")
        }
        isText = kind == .text
        isTextarea = kind == .textarea
        isNumber = kind == .number
        isDate = kind == .date
        isDateTime = kind == .dateTime
        isSelect = kind == .select
        isGroup = kind == .checkboxes || kind == .radios
        isRadios = kind == .radios
        isCheckbox = kind == .checkbox
        isEmail = kind == .email
        checked = kind == .checkbox && ["on", "true", "1"].contains(value)
    }

    /// The field with its element ids prefixed, for a page that shows two forms with an input of
    /// the same name: each label must point at its own input.
    func scoped(to prefix: String) -> InputField {
        var field = self
        field.id = prefix + "-" + id
        field.options = options.map { ChoiceOption(value: $0.value, label: $0.label, selected: $0.selected, id: prefix + "-" + $0.id) }
        return field
    }

    /// An element id from a field name: `findings[0].severity` → `findings-0-severity`.
    static func id(for name: String) -> String {
        let mapped = name.map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined()
        return mapped.split(separator: "-", omittingEmptySubsequences: true).joined(separator: "-")
    }

    /// The field as the person sent it, with its problem, when `forms` is showing this field's
    /// form again after a failure; as the page made it otherwise.
    func filled(from forms: FormContext, action: String) -> InputField {
        guard forms.postedAction == action, let typed = forms.typed else { return self }
        var field = self
        let sent: [String] = kind == "checkboxes" ? typed.values(name) : [typed[name] ?? (kind == "checkbox" ? "" : value)]
        let text = sent.first ?? ""
        if forms.conflict {
            // Theirs in the input, yours beside it: nothing is overwritten silently.
            if kind != "checkboxes", text != value { field.yours = text.isEmpty ? "—" : text }
            if kind == "checkboxes", Set(sent) != Set(options.filter(\.selected).map(\.value)) {
                field.yours = sent.isEmpty ? "—" : options.filter { sent.contains($0.value) }.map(\.label).joined(separator: ", ")
            }
        } else {
            field.value = text
            field.checked = kind == "checkbox" && !text.isEmpty
            let chosen = Set(kind == "checkboxes" ? sent : [text])
            field.options = options.map { ChoiceOption(value: $0.value, label: $0.label, selected: chosen.contains($0.value), id: $0.id) }
        }
        field.error = forms.problem(for: name)
        return field
    }
}

/// A hidden value a form sends back (an object's version, a carried choice).
struct HiddenField {
    let name: String
    let value: String
}

/// A console form: where it posts, its inputs, its button, and the two hidden values every
/// changing form carries: the CSRF token of the session and a key that makes a second
/// submission of the same rendering answer like the first instead of acting twice.
struct FormView {
    let action: String
    let csrf: String
    let formKey: String
    let submitLabel: String
    let fields: [InputField]
    let hidden: [HiddenField]
    /// A problem of the whole form (a broken rule, a state that does not allow it).
    let problem: String?
    let secondary: Bool
    let destructive: Bool
    /// The form's own heading id, when the page gives it one (`aria-labelledby`).
    let labelledBy: String?
}

/// What a page needs to render its forms: the session's CSRF token, and, when the page is shown
/// again after a form failed, what was sent, to which action, and what was wrong with it.
struct FormContext {
    let words: Localizer
    let csrf: String
    var typed: FormFields?
    var postedAction: String?
    var problems: [FieldProblem] = []
    var formProblem: String?
    var conflict = false

    init(words: Localizer, csrf: String) {
        self.words = words
        self.csrf = csrf
    }

    func problem(for field: String) -> String? {
        let messages = problems.filter { $0.field == field }.map(\.message)
        return messages.isEmpty ? nil : messages.joined(separator: " ")
    }

    /// A form posting to `action`, its fields filled from what was sent when it failed. `idPrefix`
    /// keeps its inputs' ids apart from another form's on the same page with the same names.
    func form(
        action: String,
        submit key: String,
        fields: [InputField] = [],
        hidden: [HiddenField] = [],
        secondary: Bool = false,
        destructive: Bool = false,
        labelledBy: String? = nil,
        idPrefix: String? = nil
    ) -> FormView {
        let failed = postedAction == action
        var hidden = hidden
        if failed, conflict == false, let typed {
            // A hidden value sent back as it was (the version the person was editing).
            hidden = hidden.map { HiddenField(name: $0.name, value: typed[$0.name] ?? $0.value) }
        }
        return FormView(
            action: action,
            csrf: csrf,
            formKey: FormContext.newFormKey(),
            submitLabel: words.text(key),
            fields: fields.map { field in
                let filled = field.filled(from: self, action: action)
                return idPrefix.map { filled.scoped(to: $0) } ?? filled
            },
            hidden: hidden,
            problem: failed ? (formProblem ?? (conflict ? words.text("console.problem.conflict") : nil)) : nil,
            secondary: secondary,
            destructive: destructive,
            labelledBy: labelledBy
        )
    }

    static func newFormKey() -> String {
        (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
    }
}

/// The page that asks "are you sure?" before a destructive form acts: what will happen, the
/// form's values carried along, a button that confirms and a link back.
struct ConfirmationView {
    let question: String
    let consequence: String
    let action: String
    let hidden: [HiddenField]
    let confirmLabel: String
    let back: String
    let backLabel: String
}
