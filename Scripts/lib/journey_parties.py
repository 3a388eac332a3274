"""A studio's or a client's person in the console (docs/design.md §9.6): each step of the reference
case that belongs to them, done on their own pages by role and label, in their language. A
`Party` is one signed-in browser page; its person is invited with `clubd person invite`, bound to
its studio or client, under the name the API-driven story gives its token, so that what the
journal records of them reads the same."""
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
from catalog_words import Words  # noqa: E402
from club_browser import ROOT, check, check_accessibility, passed  # noqa: E402
from playwright.sync_api import expect  # noqa: E402

PASSWORD = "harbour lights at dusk 2030"


class Party:
    """A studio's (`role="studio"`) or a client's person, signed in on a page of its own."""

    def __init__(self, clubd, browser, role, binding, name, email, language="ru", viewport=None):
        self.clubd, self.base, self.name = clubd, clubd.base, name
        self.words = Words(language)
        options = {"locale": "ru-RU" if language == "ru" else "en-GB"}
        if viewport:
            options["viewport"] = viewport
        self.page = browser.page(**options)
        flag = "--studio" if role == "studio" else "--client"
        arguments = [clubd.binary, "person", "invite", "--data", clubd.data, "--config", os.path.join(ROOT, "Config", "clubd.json"),
                     "--email", email, "--role", role, "--name", name, "--language", language, flag, binding]
        result = subprocess.run(arguments, capture_output=True, text=True, timeout=60)
        check(result.returncode == 0, f"clubd person invite {email} exits 0 ({result.stderr.strip()[-300:]})")
        w, page = self.words, self.page
        page.goto(self.base + re.sub(r"^https://[^/]+", "", result.stdout.strip().splitlines()[0]))
        page.get_by_label(w("console.field.password"), exact=True).fill(PASSWORD)
        page.get_by_label(w("console.field.repeat"), exact=True).fill(PASSWORD)
        page.get_by_role("button", name=w("console.invitation.button")).click()
        page.get_by_label(w("console.field.email"), exact=True).fill(email)
        page.get_by_label(w("console.field.password"), exact=True).fill(PASSWORD)
        page.get_by_role("button", name=w("console.signIn.button")).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(w("console.home.title"))
        passed(f"{name} signed in to the console as the {role}'s person")

    def open(self, path, what=None):
        self.page.goto(self.base + path)
        if what:
            check_accessibility(self.page, what)

    def form(self, button):
        """The form whose submit button says `button` (pages with several forms share labels)."""
        return self.page.locator("form").filter(has=self.page.get_by_role("button", name=button, exact=True))

    def submitted(self, button, scope=None):
        """Clicks the button and expects no problem on the page that answers."""
        (scope or self.page).get_by_role("button", name=button, exact=True).click()
        self.page.wait_for_load_state()
        expect(self.page.locator(".error-summary, .form-problem")).to_have_count(0)

    # --- the studio ---------------------------------------------------------------------------

    def accept_referral(self, referral, note):
        w = self.words
        self.open(f"/referrals/{referral}", f"{self.name}: the referral page")
        self.page.get_by_label(w("studio.referral.accept.note"), exact=True).fill(note)
        self.submitted(w("studio.referral.accept.button"))
        expect(self.page.get_by_text(w("studio.referral.state.accepted")).first).to_be_visible()
        passed(f"{self.name} accepted the referral in the console, with a note")

    def strike(self, fix_list, position, note):
        w = self.words
        self.open(f"/fix-lists/{fix_list}")
        self.page.get_by_label(w("console.parties.strike.note", position=position), exact=True).fill(note)
        self.submitted(w("console.parties.strike.button", position=position))
        passed(f"{self.name} struck item {position} from the list, with a note")

    def argue(self, audit, row, argument, evidence):
        w = self.words
        self.open(f"/audits/{audit}", f"{self.name}: the audit of its work")
        form = self.page.locator("form").filter(has=self.page.locator(f'textarea[name="findings[{row}].argument"]'))
        form.get_by_label(w("console.audits.field.studioArgument"), exact=True).fill(argument)
        form.get_by_label(w("console.audits.field.evidence"), exact=True).fill("\n".join(evidence))
        self.submitted(w("console.audits.argument.button"), scope=form)
        expect(self.page.get_by_text(argument).first).to_be_visible()
        passed(f"{self.name} proposed its argument on finding {row + 1} of the audit")

    # --- both ---------------------------------------------------------------------------------

    def confirm_agreement(self, engagement, what):
        self.open(f"/engagements/{engagement}", f"{self.name}: the engagement page")
        self.submitted(self.words("console.engagements.agreement.confirmNamed", what=what))
        passed(f"{self.name} confirmed the agreement “{what}”")

    def confirm_fix_list(self, fix_list):
        self.open(f"/fix-lists/{fix_list}", f"{self.name}: the fix list")
        self.submitted(self.words("console.fixLists.confirm.button"))
        passed(f"{self.name} confirmed the fix list")

    def comment(self, item, text):
        w = self.words
        self.open(f"/fix-items/{item}")
        self.page.get_by_label(w("console.fixLists.comment.field"), exact=True).fill(text)
        self.submitted(w("console.fixLists.comment.button"))

    # --- the client ---------------------------------------------------------------------------

    def choose(self, request, studio, note):
        w = self.words
        self.open(f"/requests/{request}", f"{self.name}: the request with its candidates")
        button = w("console.clientRequest.choose", studio=studio)
        form = self.form(button)
        form.get_by_role("textbox").fill(note)
        self.submitted(button, scope=form)
        expect(self.page).to_have_url(re.compile(r"/engagements/eng_"))
        passed(f"{self.name} chose {studio} in the console")
        return self.page.url.rsplit("/", 1)[-1]

    def feedback(self, engagement, stage, score, comment):
        w = self.words
        self.open(f"/engagements/{engagement}")
        form = self.form(w("console.parties.feedback.button"))
        form.get_by_role("radio", name=stage, exact=True).check()
        form.get_by_role("radio", name=str(score), exact=True).check()
        form.get_by_label(w("console.parties.feedback.comment"), exact=True).fill(comment)
        self.submitted(w("console.parties.feedback.button"), scope=form)
        passed(f"{self.name} gave feedback on the stage “{stage}”: {score} of 5")

    def accept(self, item):
        self.open(f"/fix-items/{item}")
        self.submitted(self.words("console.fixLists.accept.button"))

    def reopen(self, item, reason, due):
        w = self.words
        self.open(f"/fix-items/{item}")
        self.page.get_by_label(w("console.fixLists.field.reason"), exact=True).fill(reason)
        self.page.get_by_label(w("console.fixLists.field.newDue"), exact=True).fill(due)
        self.submitted(w("console.fixLists.reopen.button"))

    def satisfied(self, complaint):
        w = self.words
        self.open(f"/complaints/{complaint}", f"{self.name}: the complaint")
        form = self.form(w("console.complaints.answer.button"))
        form.get_by_label(w("console.complaints.answer.yes"), exact=True).check()
        self.submitted(w("console.complaints.answer.button"), scope=form)
        passed(f"{self.name} said the complaint's resolution satisfies it")

    def rate_club(self, engagement, score, comment, complaint=None):
        """The club's question at the engagement's end, or after the complaint `complaint`."""
        w = self.words
        self.open(f"/engagements/{engagement}")
        action = f"/engagements/{engagement}/club-rating" + (f"/{complaint}" if complaint else "")
        form = self.page.locator(f'form[action="{action}"]')
        form.get_by_role("radio", name=str(score), exact=True).check()
        form.get_by_label(w("console.parties.rating.comment"), exact=True).fill(comment)
        self.submitted(w("console.parties.rating.button"), scope=form)
        passed(f"{self.name} rated the club {score} of 10" + (" after the complaint" if complaint else ""))

    def accept_consulting(self, engagement):
        w = self.words
        self.open(f"/engagements/{engagement}", f"{self.name}: the engagement with the consulting offer")
        form = self.form(w("console.engagements.offer.answerButton"))
        form.get_by_label(w("console.engagements.offer.accept"), exact=True).check()
        self.submitted(w("console.engagements.offer.answerButton"), scope=form)
        passed(f"{self.name} accepted the free consulting")

    def close(self):
        self.page.context.close()
