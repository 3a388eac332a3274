import ClubCore
import ClubStore
import Foundation
import Hummingbird

/// One share link of a list as its page lists it: when it was made and by whom, when it expires,
/// whether it still opens, and the form that revokes it.
struct ShareLinkRow {
    let id: String
    let headingId: String
    let made: String
    let state: String
    let usable: Bool
    let revokeForm: FormView?
}

/// The list's share links (issue 11): the new link's address shown once, the links made, and
/// the form that makes one with an expiry.
struct ShareLinksView {
    let newURL: String?
    let newExpiry: String?
    let linkRows: [ShareLinkRow]
    let hasLinkRows: Bool
    let makeForm: FormView
}

/// The share link just made, carried from the form's handler to the page that shows it once.
final class IssuedLinkBox: @unchecked Sendable {
    var issued: IssuedShareLink?
}

extension ConsoleController {
    /// `POST /fix-lists/{id}/share-links` (the API's `ShareLinkInput`: `expiresAt`, a day here,
    /// valid to its end in the person's zone) answers the list again, 201, with the link's
    /// address shown once; `POST /fix-lists/{id}/share-links/{link}/revoke`, confirmed, revokes it.
    func addShareLinkForms(to router: Router<Context>) {
        router.post("/fix-lists/:id/share-links") { request, context in
            let id = try context.parameters.require("id")
            let box = IssuedLinkBox()
            let response = try await submit(
                request,
                context,
                current: "/fix-lists/" + id,
                render: { signedIn, language, forms in try await fixListPage(id, signedIn, language, forms) },
                perform: { signedIn, reader in
                    let day = reader.day("expiresAt")
                    try reader.finish()
                    let input = ShareLinkInput(expiresAt: day.map { Self.endOfDay($0, zone: signedIn.zone) })
                    box.issued = try await database.createShareLink(id, input, by: signedIn.principal)
                    // A second submission of the same form lands on the list: the address is not shown twice.
                    return "/fix-lists/\(id)#share-links"
                }
            )
            guard let issued = box.issued else { return response }
            return try await withSession(request, current: "/fix-lists/" + id) { signedIn, language in
                var (template, view, _) = try await fixListPage(id, signedIn, language, forms(signedIn, language))
                if var page = view.content as? FixListPageView, let links = page.shareLinks {
                    let words = language.localizer
                    page.shareLinks = ShareLinksView(
                        newURL: publicAddress.link("/share/\(issued.token)"),
                        newExpiry: words.text("console.parties.share.expires", ["date": words.format(issued.link.expiresAt, zone: signedIn.zone)]),
                        linkRows: links.linkRows,
                        hasLinkRows: links.hasLinkRows,
                        makeForm: links.makeForm
                    )
                    view.content = page
                }
                return (template, view, .created)
            }
        }
        router.post("/fix-lists/:id/share-links/:link/revoke") { request, context in
            let id = try context.parameters.require("id")
            let link = try context.parameters.require("link")
            return try await submit(
                request,
                context,
                current: "/fix-lists/" + id,
                confirm: ConfirmStep(
                    question: "console.parties.share.revokeQuestion",
                    consequence: "console.parties.share.revokeConsequence",
                    button: "console.parties.share.revokeConfirm"
                ),
                render: { signedIn, language, forms in try await fixListPage(id, signedIn, language, forms) },
                perform: { signedIn, _ in
                    // Only a link of this list is revoked from its page.
                    guard try await database.shareLinks(of: id, for: signedIn.principal).contains(where: { $0.id == link }) else {
                        throw DomainError.notFound(entity: "share link", id: link)
                    }
                    _ = try await database.revokeShareLink(link, by: signedIn.principal)
                    return "/fix-lists/\(id)#share-links"
                }
            )
        }
    }

    /// The share links section for whoever may make them; nil for anyone else.
    func shareLinksView(_ listId: String, _ signedIn: SignedIn, _ words: Localizer, _ forms: FormContext) async throws -> ShareLinksView? {
        let principal = signedIn.principal
        guard Policy.allows(principal, .createShareLink) else { return nil }
        let links = try await database.shareLinks(of: listId, for: principal)
        let now = database.clock.now()
        let zone = signedIn.zone
        let rows = links.map { link in
            let state: String
            if let revoked = link.revokedAt {
                state = words.text("console.parties.share.revoked", ["date": words.format(revoked, zone: zone)])
            } else if link.expiresAt <= now {
                state = words.text("console.parties.share.expired", ["date": words.format(link.expiresAt, zone: zone)])
            } else {
                state = words.text("console.parties.share.active", ["date": words.format(link.expiresAt, zone: zone)])
            }
            let usable = link.isUsable(at: now)
            return ShareLinkRow(
                id: link.id,
                headingId: "share-link-" + link.id,
                made: words.text("console.parties.share.made", ["date": words.format(link.createdAt, zone: zone), "name": link.createdBy]),
                state: state,
                usable: usable,
                revokeForm: usable && Policy.allows(principal, .revokeShareLink)
                    ? forms.form(
                        action: "/fix-lists/\(listId)/share-links/\(link.id)/revoke",
                        submit: "console.parties.share.revoke",
                        destructive: true,
                        labelledBy: "share-link-" + link.id
                    ) : nil
            )
        }
        let makeForm = forms.form(
            action: "/fix-lists/\(listId)/share-links",
            submit: "console.parties.share.make",
            fields: [
                InputField(
                    .date,
                    name: "expiresAt",
                    label: words.text("console.parties.share.expiresAt"),
                    hint: words.text(
                        "console.parties.share.expiresHint",
                        ["default": String(ShareLink.defaultLifetimeDays), "max": String(ShareLink.maxLifetimeDays)]
                    )
                )
            ],
            secondary: true,
            labelledBy: "share-make"
        )
        return ShareLinksView(newURL: nil, newExpiry: nil, linkRows: rows, hasLinkRows: !rows.isEmpty, makeForm: makeForm)
    }
}
