import ClubCore
import ClubStore
import Foundation
import HTTPTypes
import Hummingbird

extension ConsoleController {
    /// Evidence files in the console (docs/design.md §11.5): uploads to fix items, audits, findings, complaints and
    /// check-ins, each file and its thumbnail for whoever may read its object, and removal, all with the rights the
    /// store applies to the API.
    func addFilePages(to router: Router<Context>) {
        for kind in FileOwnerKind.allCases {
            router.post(RouterPath("/\(kind.collection)/:id/files")) { request, context in
                try await upload(kind, try context.parameters.require("id"), request)
            }
        }
        router.get("/files/:id") { request, context in
            try await withFile(try context.parameters.require("id"), request) { file in
                try await FileAnswer.content(of: file, in: database.vault, for: request, context: context)
            }
        }
        router.get("/files/:id/thumbnail") { request, context in
            try await withFile(try context.parameters.require("id"), request) { file in
                guard file.type.isImage else { throw HTTPError(.notFound) }
                guard let path = await Thumbnailer().thumbnail(of: file, in: database.vault) else {
                    // Without a thumbnail (no vips here, or one it could not make) the image itself stands in: it was
                    // sniffed and bounded on upload, and the page reserves its box by width and height.
                    return try await FileAnswer.content(of: file, in: database.vault, for: request, context: context)
                }
                return try await FileAnswer.thumbnail(at: path, sha256: file.sha256, for: request, context: context)
            }
        }
        router.post("/files/:id/remove") { request, context in
            let id = try context.parameters.require("id")
            guard let signedIn = try await signedIn(request) else { return PageSecurity.redirect(to: "/sign-in") }
            let page: FileObjectPage
            let file: EvidenceFile
            do {
                file = try await database.file(id, for: signedIn.principal)
                page = try await objectPage(file.objectType, file.objectId, signedIn, engagementId: file.engagementId)
            } catch DomainError.notFound, DomainError.forbidden {
                return notFound(request, signedIn)
            }
            return try await submit(
                request,
                context,
                current: page.path,
                confirm: ConfirmStep(
                    question: "console.files.remove.question",
                    consequence: "console.files.remove.consequence",
                    button: "console.files.remove.confirm",
                    args: ["name": file.name]
                ),
                render: page.render,
                perform: { signedIn, _ in
                    try await database.removeFile(id, by: signedIn.principal)
                    return page.path
                }
            )
        }
    }

    // MARK: - The section on object pages

    /// The files section of an object's page. `engagementId` is the check-in's engagement, whose page shows it.
    func filesSection(
        _ kind: FileOwnerKind,
        _ id: String,
        _ signedIn: SignedIn,
        _ words: Localizer,
        _ forms: FormContext,
        engagementId: String? = nil
    ) async throws -> FilesSectionView {
        let principal = signedIn.principal
        let files = try await database.files(on: kind, id, for: principal)
        let state = await openness(kind, id, principal)
        let sectionId = Self.sectionId(kind, id)
        let rows = files.map { file in
            let mayRemove = state.isOpen && file.isRemovable(by: principal)
            return FileRowView(
                name: file.name,
                href: "/files/\(file.id)",
                thumbnail: file.type.isImage ? FileThumbnailView(file: file) : nil,
                kind: words.text("console.files.type." + file.type.rawValue),
                size: Self.size(file.size, words),
                uploaded: words.text(
                    "console.files.uploaded",
                    ["name": file.uploadedBy, "date": words.format(file.uploadedAt, zone: signedIn.zone)]
                ),
                caption: file.caption,
                removeForm: mayRemove
                    ? forms.form(action: "/files/\(file.id)/remove", submit: "console.files.remove.named", destructive: true)
                        .named(words.text("console.files.remove.named", ["name": file.name])) : nil
            )
        }
        var upload: FileUploadView?
        var fullNote: String?
        switch state {
        case .open(let sniffer):
            let action = Self.uploadAction(kind, id, engagementId: engagementId)
            let sent = forms.postedAction == action
            upload = FileUploadView(
                action: action,
                csrf: forms.csrf,
                fileId: sectionId + "-file",
                captionId: sectionId + "-caption",
                caption: sent ? forms.typed?["caption"] ?? "" : "",
                error: sent ? forms.problem(for: sectionId + "-file") : nil,
                captionError: sent ? forms.problem(for: sectionId + "-caption") : nil,
                maxBytes: words.text("console.files.upload.hint", ["size": Self.size(sniffer.maxBytes, words)])
            )
        case .full(let refusal):
            fullNote = FileProblemText.refusal(refusal, words)
        case .closed, .outOfReach:
            break
        }
        return FilesSectionView(
            id: sectionId,
            title: words.text("console.files.title"),
            rows: rows,
            hasRows: !rows.isEmpty,
            upload: upload,
            fullNote: fullNote
        )
    }

    /// Whether files may be added to the object now, asked of the store as an upload would ask it.
    private enum Openness {
        case open(FileSniffer)
        /// Open, but holding as many files or bytes as it may: files can still be removed.
        case full(FileRefusal)
        case closed
        case outOfReach

        var isOpen: Bool {
            switch self {
            case .open, .full: true
            case .closed, .outOfReach: false
            }
        }
    }

    private func openness(_ kind: FileOwnerKind, _ id: String, _ principal: Principal) async -> Openness {
        do {
            return .open(try await database.fileSniffer(for: kind, id, by: principal))
        } catch let refusal as FileRefusal {
            return .full(refusal)
        } catch DomainError.ruleBroken {
            return .closed
        } catch {
            return .outOfReach
        }
    }

    static func sectionId(_ kind: FileOwnerKind, _ id: String) -> String {
        InputField.id(for: "files-\(kind.rawValue)-\(id)")
    }

    /// A check-in has no page of its own: its engagement's page shows it, named in the query so that a refusal can
    /// show that page again before the body is read.
    static func uploadAction(_ kind: FileOwnerKind, _ id: String, engagementId: String?) -> String {
        let path = "/\(kind.collection)/\(id)/files"
        guard kind == .checkIn, let engagementId else { return path }
        // RFC 3986's unreserved characters stay as they are: ids are `eng_…`.
        let unreserved = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
        return path + "?engagement=" + (engagementId.addingPercentEncoding(withAllowedCharacters: unreserved) ?? engagementId)
    }

    /// "512 bytes", "14.2 KB", "3 MB", in the reader's language and number style.
    static func size(_ bytes: Int, _ words: Localizer) -> String { ConsoleFileSize.text(bytes, words) }

    // MARK: - Uploading

    /// Reads an upload form as it streams into the vault, then attaches the file; every refusal shows the object's
    /// page again with the problem next to the file field, in the page's language.
    private func upload(_ kind: FileOwnerKind, _ id: String, _ request: Request) async throws -> Response {
        guard let signedIn = try await signedIn(request) else { return PageSecurity.redirect(to: "/sign-in") }
        let principal = signedIn.principal
        let engagementId = request.uri.queryParameters["engagement"].map(String.init)
        let action = Self.uploadAction(kind, id, engagementId: engagementId)
        let words = language(request, signedIn).localizer
        let page: FileObjectPage
        do {
            page = try await objectPage(kind, id, signedIn, engagementId: engagementId)
        } catch DomainError.notFound, DomainError.forbidden {
            return notFound(request, signedIn)
        }
        let sniffer: FileSniffer
        do {
            // Reach, openness and the object's limits, before a byte of the body is read.
            sniffer = try await database.fileSniffer(for: kind, id, by: principal)
        } catch let refusal as FileRefusal {
            return try await showAgain(
                request,
                signedIn,
                kind,
                id,
                action,
                FileProblemText.problem(.refused(refusal), words),
                caption: "",
                page: page
            )
        } catch DomainError.notFound, DomainError.forbidden {
            return notFound(request, signedIn)
        } catch DomainError.ruleBroken(let rule, let detail) {
            let problem = FileProblem(status: .conflict, message: ProblemText.rule(rule, detail: detail, words))
            return try await showAgain(request, signedIn, kind, id, action, problem, caption: "", page: page)
        }
        let form: UploadForm
        do {
            form = try await UploadForm.read(
                request.body,
                contentType: request.headers[.contentType],
                csrfSecret: signedIn.secret,
                vault: database.vault,
                sniffer: sniffer,
                limits: database.rules.files
            )
        } catch UploadProblem.forged {
            return forbidden(request, signedIn)
        } catch let problem as UploadProblem {
            return try await showAgain(request, signedIn, kind, id, action, FileProblemText.problem(problem, words), caption: "", page: page)
        }
        let caption = form.fields["caption"] ?? ""
        let name = form.fileName.isEmpty ? "file" : form.fileName
        var problem: FileProblem?
        do {
            _ = try FileDisplayName(name)
            try FileSniffer.checkClaim(name: name, contentType: nil, sniffed: form.staged.content.type)
            do {
                try FileSniffer.checkClaim(name: nil, contentType: form.contentType, sniffed: form.staged.content.type)
            } catch {
                let found = words.text("console.files.type." + form.staged.content.type.rawValue)
                let claimed = String((form.contentType ?? "").prefix { $0 != ";" })
                problem = FileProblem(
                    status: .unsupportedMediaType,
                    message: words.text("console.files.refusal.mismatchType", ["claimed": claimed, "found": found])
                )
            }
        } catch let refusal as FileNameRefusal {
            problem = FileProblem(status: .unprocessableContent, message: FileProblemText.name(refusal, words))
        } catch {
            let found = words.text("console.files.type." + form.staged.content.type.rawValue)
            problem = FileProblem(
                status: .unsupportedMediaType,
                message: words.text("console.files.refusal.mismatchName", ["name": name, "found": found])
            )
        }
        if let problem {
            database.vault.discard(form.staged)
            return try await showAgain(request, signedIn, kind, id, action, problem, caption: caption, page: page)
        }
        do {
            _ = try await database.attachFile(
                form.staged,
                to: kind,
                id,
                name: name,
                caption: caption.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : caption,
                by: principal
            )
        } catch let refusal as FileRefusal {
            let problem = FileProblemText.problem(.refused(refusal), words)
            return try await showAgain(request, signedIn, kind, id, action, problem, caption: caption, page: page)
        } catch DomainError.invalid(let errors) {
            let sectionId = Self.sectionId(kind, id)
            let problems = errors.map { error in
                error.field == "caption"
                    ? FieldProblem(field: sectionId + "-caption", message: ProblemText.message(error, words))
                    : FieldProblem(field: sectionId + "-file", message: ProblemText.message(error, words))
            }
            return try await showAgain(
                request,
                signedIn,
                kind,
                id,
                action,
                FileProblem(status: .unprocessableContent, problems: problems),
                caption: caption,
                page: page
            )
        } catch DomainError.ruleBroken(let rule, let detail) {
            let problem = FileProblem(status: .conflict, message: ProblemText.rule(rule, detail: detail, words))
            return try await showAgain(request, signedIn, kind, id, action, problem, caption: caption, page: page)
        } catch DomainError.notFound, DomainError.forbidden {
            return notFound(request, signedIn)
        }
        return PageSecurity.redirect(to: page.path)
    }

    /// The object's page again, the problem beside the file field (or the caption's), with the status it deserves.
    private func showAgain(
        _ request: Request,
        _ signedIn: SignedIn,
        _ kind: FileOwnerKind,
        _ id: String,
        _ action: String,
        _ problem: FileProblem,
        caption: String,
        page: FileObjectPage
    ) async throws -> Response {
        let sectionId = Self.sectionId(kind, id)
        var forms = forms(signedIn, language(request, signedIn))
        forms.postedAction = action
        forms.typed = FormFields(pairs: [(name: "caption", value: caption)])
        forms.problems = problem.problems.isEmpty ? [FieldProblem(field: sectionId + "-file", message: problem.message)] : problem.problems
        let failed = forms
        return try await withSession(request, current: page.path) { signedIn, language in
            var (template, view, _) = try await page.render(signedIn, language, failed)
            view.errors = failed.problems
            return (template, view, problem.status)
        }
    }

    private func notFound(_ request: Request, _ signedIn: SignedIn) -> Response {
        notice(language(request, signedIn), signedIn, status: .notFound, title: "console.notFound.title", message: "console.notFound.message")
    }

    /// A file the signed-in person may read, else 404 (or sign-in without a session).
    private func withFile(_ id: String, _ request: Request, _ answer: (EvidenceFile) async throws -> Response) async throws -> Response {
        guard let signedIn = try await signedIn(request) else { return PageSecurity.redirect(to: "/sign-in") }
        let file: EvidenceFile
        do {
            file = try await database.file(id, for: signedIn.principal)
        } catch DomainError.notFound, DomainError.forbidden {
            return notFound(request, signedIn)
        }
        return try await answer(file)
    }

    // MARK: - The object's page

    /// Where an object's files are shown, and how to show that page again.
    struct FileObjectPage {
        let path: String
        let render: (SignedIn, PageLanguage, FormContext) async throws -> RenderedPage
    }

    /// The page showing an object's files: its own, its audit's for a finding, its engagement's for a check-in (which
    /// must be that engagement's own, so a made-up query finds nothing).
    func objectPage(_ kind: FileOwnerKind, _ id: String, _ signedIn: SignedIn, engagementId: String?) async throws -> FileObjectPage {
        let anchor = "#" + Self.sectionId(kind, id)
        switch kind {
        case .fixItem:
            return FileObjectPage(path: "/fix-items/\(id)") { try await fixItemPage(id, $0, $1, $2) }
        case .audit:
            return FileObjectPage(path: "/audits/\(id)") { try await auditPage(id, $0, $1, $2) }
        case .auditFinding:
            guard let auditId = try await database.findingPlaces([id], for: signedIn.principal)[id]?.auditId else {
                throw DomainError.notFound(entity: kind.entity, id: id)
            }
            return FileObjectPage(path: "/audits/\(auditId)" + anchor) { try await auditPage(auditId, $0, $1, $2) }
        case .complaint:
            return FileObjectPage(path: "/complaints/\(id)") { try await complaintPage(id, $0, $1, $2) }
        case .checkIn:
            guard let engagementId,
                try await database.engagementRecord(engagementId, for: signedIn.principal).checkIns.contains(where: { $0.id == id })
            else { throw DomainError.notFound(entity: kind.entity, id: id) }
            return FileObjectPage(path: "/engagements/\(engagementId)" + anchor) { try await engagementPage(engagementId, $0, $1, $2) }
        }
    }
}

/// A refused upload: its status and what to say next to the field.
struct FileProblem {
    let status: HTTPResponse.Status
    var message = ""
    var problems: [FieldProblem] = []
}

extension FormView {
    /// The form with its button's accessible name set (a remove button per file says which file).
    func named(_ label: String) -> FormView {
        FormView(
            action: action,
            csrf: csrf,
            formKey: formKey,
            submitLabel: label,
            fields: fields,
            hidden: hidden,
            problem: problem,
            secondary: secondary,
            destructive: destructive,
            labelledBy: labelledBy
        )
    }
}

/// The refusals of uploads in the reader's language: the store names what it found in English for the API; the
/// console says the same from the catalogs.
enum FileProblemText {
    static func problem(_ problem: UploadProblem, _ words: Localizer) -> FileProblem {
        switch problem {
        case .badForm: FileProblem(status: .badRequest, message: words.text("console.files.problem.badForm"))
        case .forged: FileProblem(status: .forbidden, message: words.text("console.forbidden.message"))
        case .noFile: FileProblem(status: .unprocessableContent, message: words.text("console.files.problem.noFile"))
        case .secondFile: FileProblem(status: .unprocessableContent, message: words.text("console.files.problem.oneFile"))
        case .refused(let refusal):
            FileProblem(status: refusal.isAboutSize ? .contentTooLarge : .unsupportedMediaType, message: Self.refusal(refusal, words))
        }
    }

    static func refusal(_ refusal: FileRefusal, _ words: Localizer) -> String {
        func type(_ type: FileType) -> String { words.text("console.files.type." + type.rawValue) }
        func size(_ bytes: Int) -> String { ConsoleFileSize.text(bytes, words) }
        switch refusal {
        case .empty:
            return words.text("console.files.refusal.empty")
        case .notAllowed(let found):
            return words.text("console.files.refusal.notAllowed", ["found": Self.found(found, words)])
        case .typeNotAllowed(let fileType):
            return words.text("console.files.refusal.typeNotAllowed", ["type": type(fileType)])
        case .imageTooLarge(let width, let height, let limit):
            return words.text("console.files.refusal.imageTooLarge", ["width": String(width), "height": String(height), "limit": String(limit)])
        case .malformed(let fileType, _):
            return words.text("console.files.refusal.malformed", ["type": type(fileType)])
        case .mismatch(let found, let claimed):
            return words.text("console.files.refusal.mismatchType", ["claimed": claimed, "found": type(found)])
        case .tooLarge(let limit):
            return words.text("console.files.refusal.tooLarge", ["size": size(limit)])
        case .objectTooLarge(let limit):
            return words.text("console.files.refusal.objectTooLarge", ["size": size(limit)])
        case .objectFull(let files):
            return words.plural("console.files.refusal.objectFull", count: files)
        }
    }

    /// What the sniffer found, as it names it (`Signature.refused`, `describeNonText`), in the reader's words.
    static func found(_ found: String, _ words: Localizer) -> String {
        let known: [(prefix: String, key: String)] = [
            ("an ELF executable", "console.files.found.elf"), ("a Windows executable", "console.files.found.windows"),
            ("a ZIP archive", "console.files.found.zip"), ("a gzip archive", "console.files.found.gzip"), ("a GIF image", "console.files.found.gif"),
            ("unrecognised binary data", "console.files.found.binary"), ("text that is not valid UTF-8", "console.files.found.notUTF"),
            ("text with a control character", "console.files.found.control"),
        ]
        return known.first { found.hasPrefix($0.prefix) }.map { words.text($0.key) } ?? found
    }

    static func name(_ refusal: FileNameRefusal, _ words: Localizer) -> String {
        switch refusal {
        case .empty: words.text("console.files.name.empty")
        case .tooLong(_, let limit): words.text("console.files.name.tooLong", ["limit": String(limit)])
        case .controlCharacter: words.text("console.files.name.control")
        case .parentDirectory: words.text("console.files.name.parent")
        case .pathSeparator: words.text("console.files.name.separator")
        }
    }
}

/// Sizes said to a person.
enum ConsoleFileSize {
    static func text(_ bytes: Int, _ words: Localizer) -> String {
        guard bytes >= 1024 else { return words.plural("console.files.size.bytes", count: bytes) }
        let (value, key) =
            bytes < 1024 * 1024
            ? (Double(bytes) / 1024, "console.files.size.kilobytes") : (Double(bytes) / (1024 * 1024), "console.files.size.megabytes")
        let number = value.formatted(.number.precision(.fractionLength(0...1)).locale(words.catalog.locale))
        return words.text(key, ["size": number])
    }
}
