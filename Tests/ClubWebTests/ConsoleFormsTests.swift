import ClubCore
import Foundation
import Testing

@testable import ClubWeb

/// The console's form machinery (docs/console.md, "Forms that behave"): what a browser posts is
/// read as the person meant it, problems come back next to their fields in the person's
/// language, a conflict shows both versions, and one form key is answered once at a time.
@Suite("Console forms")
struct ConsoleFormsTests {
    static let english = Catalogs.bundled.localizer(for: "en")
    static let russian = Catalogs.bundled.localizer(for: "ru")

    @Test func aPostedFormIsReadInOrderWithRepeatedFieldsAndEncodings() {
        let form = FormFields(
            body: "statedAsk=Instagram+promotion&requiredCompetences=landing&requiredCompetences=context_ads&note=%D0%B4%D0%B0%0D%0A&empty="
        )
        #expect(form["statedAsk"] == "Instagram promotion")
        #expect(form.values("requiredCompetences") == ["landing", "context_ads"])
        #expect(form.text("note") == "да")
        #expect(form["empty"] == "")
        #expect(form.optionalText("empty") == nil)
        #expect(form["absent"] == nil)
        #expect(FormFields(body: "facts=one%0D%0A%0D%0A+two+%0D%0Athree").lines("facts") == ["one", "two", "three"])
    }

    @Test func numbersDatesAndTimesAreReadOrNamedAsProblems() throws {
        var reader = FormReader(
            form: FormFields(body: "budget=600+000&bad=12k&deadline=2027-02-01&wrongDay=2027-02-31&heldAt=2027-02-01T10%3A30"),
            words: Self.russian,
            zone: try #require(TimeZone(identifier: "Europe/Moscow"))
        )
        #expect(reader.int("budget") == 600_000)
        #expect(reader.int("bad") == nil)
        #expect(reader.day("deadline")?.description == "2027-02-01")
        #expect(reader.day("wrongDay") == nil)
        #expect(reader.time("heldAt") == Date(timeIntervalSince1970: 1_801_467_000), "10:30 in Moscow is 07:30 UTC")
        _ = reader.requiredInt("missing")
        #expect(reader.problems.map(\.field) == ["bad", "wrongDay", "missing"])
        #expect(reader.problems.first?.message == Self.russian.text("console.problem.notNumber"))
        #expect(throws: FormProblems.self) { try reader.finish() }
    }

    @Test func theStoresProblemsAreSaidInThePersonsLanguage() {
        let tooLong = FieldError(field: "statedAsk", message: "must be at most 200 characters")
        #expect(ProblemText.message(tooLong, Self.russian) == "Не больше 200 символов.")
        #expect(ProblemText.message(tooLong, Self.english) == "Use at most 200 characters.")
        #expect(ProblemText.message(FieldError(field: "clientSentiment", message: "must be from 1 to 5"), Self.russian) == "От 1 до 5.")
        #expect(ProblemText.state("at_risk", Self.russian) == "под угрозой")
        let noCapacity = ProblemText.rule(.noFreeCapacity, detail: "studio std_1 has 3 of 3", Self.russian)
        #expect(noCapacity == "У студии нет свободных сил на ещё один проект.")
        let unknown = FieldError(field: "x", message: "a message the console does not know")
        #expect(ProblemText.message(unknown, Self.russian) == unknown.message, "an unknown message keeps the store's words")
    }

    @Test func aFailedFormComesBackAsTypedWithItsProblemAndOtherFormsAsTheyWere() {
        var forms = FormContext(words: Self.english, csrf: "token")
        forms.typed = FormFields(body: "budget=lots&statedAsk=Landing")
        forms.postedAction = "/requests"
        forms.problems = [FieldProblem(field: "budget", message: "Enter a whole number, such as 600000.")]
        let fields = [
            InputField(.number, name: "budget", label: "Budget", value: "100"), InputField(.text, name: "statedAsk", label: "Ask"),
        ]
        let failed = forms.form(action: "/requests", submit: "console.nav.requests", fields: fields)
        #expect(failed.fields.map(\.value) == ["lots", "Landing"])
        #expect(failed.fields[0].error == "Enter a whole number, such as 600000.")
        #expect(failed.fields[1].error == nil)
        let other = forms.form(action: "/requests/req_1/close", submit: "console.nav.requests", fields: fields)
        #expect(other.fields.map(\.value) == ["100", ""], "another form of the page keeps its own values")
        #expect(other.fields.allSatisfy { $0.error == nil })
        #expect(failed.formKey != other.formKey && failed.formKey.count == 32)
    }

    @Test func aConflictShowsTheirVersionInTheFieldAndWhatWasTypedBesideIt() {
        var forms = FormContext(words: Self.english, csrf: "token")
        forms.typed = FormFields(body: "name=Pixel+Hands+Studio&capacity=3&version=2")
        forms.postedAction = "/studios/std_1"
        forms.conflict = true
        let form = forms.form(
            action: "/studios/std_1",
            submit: "console.nav.studios",
            fields: [
                InputField(.text, name: "name", label: "Name", value: "Pixel Hands"),
                InputField(.number, name: "capacity", label: "Capacity", value: "3"),
            ],
            hidden: [HiddenField(name: "version", value: "3")]
        )
        #expect(form.fields[0].value == "Pixel Hands", "theirs stays in the field")
        #expect(form.fields[0].yours == "Pixel Hands Studio", "yours is shown beside it")
        #expect(form.fields[1].yours == nil, "a field both agree on says nothing")
        #expect(form.hidden.first?.value == "3", "the form now edits their version")
        #expect(form.problem == Self.english.text("console.problem.conflict"))
    }

    @Test func anInputsIdIsItsNameMadeSafe() {
        #expect(InputField.id(for: "findings[0].severity") == "findings-0-severity")
        #expect(InputField.id(for: "statedAsk") == "statedAsk")
    }

    /// Two submissions of one key at once: the second waits until the first is done.
    @Test func oneFormKeyIsAnsweredOnceAtATime() async {
        let once = FormOnce()
        let order = Order()
        await once.acquire("key")
        let second = Task {
            await once.acquire("key")
            await order.append("second")
            await once.release("key")
        }
        try? await Task.sleep(for: .milliseconds(50))
        await order.append("first")
        await once.release("key")
        await second.value
        #expect(await order.items == ["first", "second"])
    }

    actor Order {
        var items: [String] = []
        func append(_ item: String) { items.append(item) }
    }

    @Test func aKeyGivenByTwoFilesOfOneLanguageIsRefused() throws {
        let one = Catalog(language: "en", locale: Locale(identifier: "en_GB"), entries: ["a.b": .text("one")])
        let two = Catalog(language: "en", locale: Locale(identifier: "en_GB"), entries: ["a.b": .text("two"), "a.c": .text("three")])
        #expect(throws: CatalogError.self) { try Catalogs([one, two]) }
        let parts = try Catalogs([one, Catalog(language: "en", locale: Locale(identifier: "en_GB"), entries: ["a.c": .text("three")])])
        #expect(parts.localizer(for: "en").text("a.c") == "three")
        #expect(parts.localizer(for: "en").text("a.b") == "one")
    }
}
