"""The studios area of the console in a real browser (issue 10): a Russian head coordinator registers
a studio, records every vetting check and admits it, registers a client, invites a person (the link
shown once), and two signed-in pages edit the same studio: the second is told someone else changed
it and sees both versions. Pages are driven by role and label, in Russian; axe-core checks every
page visited. The words are read from the catalogs, so a reworded label fails here only if it is gone.

Alone: source Scripts/lib/system-packages.sh and Scripts/lib/browser_env.sh, `ensure_browser_env`, then
    "$BROWSER_PYTHON" Scripts/lib/journey_studios.py "$(swift build --show-bin-path)/clubd"
"""
import json
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from club_browser import ROOT, Browser, Daemon, check, passed, screenshots  # noqa: E402
from console_check import check_page as console_check_page  # noqa: E402
from console_check import path_of, post_response, set_password, sign_in  # noqa: E402
from playwright.sync_api import expect  # noqa: E402

CATALOGS = os.path.join(ROOT, "Sources", "ClubCore", "Localization", "Catalogs")
COORDINATOR = {"name": "Марина Орлова", "email": "marina@club.example", "password": "harbour-violet-quartz-73"}
VETTING_CHECKS = ["portfolio", "references", "trialTask", "interview"]


def texts(language="ru"):
    """The catalog texts of `language`, the shared file and the studios area's."""
    words = {}
    for name in [f"{language}.json", f"{language}.studios.json"]:
        with open(os.path.join(CATALOGS, name)) as file:
            words.update(json.load(file)["texts"])
    return words


RU = texts("ru")


def t(key, **args):
    text = RU[key]
    for name, value in args.items():
        text = text.replace("{" + name + "}", str(value))
    return text


def check_page(page, what, signed_in=True):
    """console_check's checks of a page (axe-core, the layout at 375 px, the csrf fields, no error
    logged). A form refused on purpose (422, 409) is logged by Chromium as a failed load: the
    journey checks those statuses itself, so they are not counted as errors."""
    page.club_errors[:] = [error for error in page.club_errors
                           if not re.search(r"Failed to load resource: the server responded with a status of (409|422) ", error)]
    console_check_page(page, what, signed_in=signed_in)


def click_and_check(page, button, path, what, expected=303, scope=None):
    """Clicks `button` (in `scope`, else the page) and checks the POST to `path` answers `expected`."""
    with post_response(page, path) as answer:
        (scope or page).get_by_role("button", name=button, exact=True).click()
    page.wait_for_load_state()
    check(answer.value.status == expected, f"{what}: the form answers {expected} (got {answer.value.status})")


def open_studio(page, base, studio_id):
    page.goto(f"{base}/studios/{studio_id}")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    check(page.locator("html").get_attribute("lang") == "ru", f"the studio page {studio_id} is in Russian")


def register_studio(page, base, name, competences, regions, budget_min, budget_max, capacity):
    """Registers a studio from the registry's button; returns its id. `competences` are the
    configured codes (landing, web…), `regions` codes such as RU-MOW."""
    page.goto(base + "/studios")
    expect(page.get_by_role("heading", level=1)).to_have_text(t("console.studios.title"))
    check_page(page, "the studio registry", signed_in=True)
    page.get_by_role("link", name=t("console.studios.register"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("console.studios.new.title"))

    # A capacity that is not a number comes back by its field, with what was typed kept.
    page.get_by_label(t("console.studios.field.name"), exact=True).fill(name)
    for competence in competences:
        page.get_by_role("group", name=t("console.studios.field.competences")).get_by_label(
            t(f"console.studios.competence.{competence}"), exact=True).check()
    page.get_by_label(t("console.studios.field.regions"), exact=True).fill(", ".join(regions))
    page.get_by_label(t("console.studios.field.budgetMin"), exact=True).fill(str(budget_min))
    page.get_by_label(t("console.studios.field.budgetMax"), exact=True).fill(str(budget_max))
    page.get_by_label(t("console.studios.field.capacity"), exact=True).fill("много")
    click_and_check(page, t("console.studios.new.button"), "/studios", "a capacity in words", expected=422)
    expect(page.get_by_role("alert").first).to_contain_text(t("console.errors.title"))
    expect(page.locator("#capacity-error")).to_have_text(t("console.problem.notNumber"))
    expect(page.get_by_label(t("console.studios.field.name"), exact=True)).to_have_value(name)
    passed("a capacity in words is named by its field and what was typed is kept")
    check_page(page, "the studio form with a problem", signed_in=True)

    page.get_by_label(t("console.studios.field.capacity"), exact=True).fill(str(capacity))
    click_and_check(page, t("console.studios.new.button"), "/studios", f"registering {name}")
    expect(page).to_have_url(re.compile(r"/studios/stu_[^/]+$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)
    expect(page.get_by_role("heading", level=1)).to_contain_text(t("console.studios.state.applicant"))
    studio_id = page.url.rsplit("/", 1)[1]
    passed(f"{name} is registered as an applicant ({studio_id})")
    check_page(page, "a new studio's page", signed_in=True)

    page.goto(base + "/studios?status=applicant")
    expect(page.get_by_role("link", name=name, exact=True)).to_be_visible()
    passed(f"the registry filtered by status lists {name}")
    return studio_id


def vet_and_admit(page, base, studio_id):
    """Records every kind of vetting check as passed, then admits the studio."""
    open_studio(page, base, studio_id)
    for kind in VETTING_CHECKS:
        form = page.get_by_role("form", name=t("console.studios.page.vetting"))
        form.get_by_label(t("console.studios.check.kind"), exact=True).select_option(label=t(f"console.studios.check.{kind}"))
        form.get_by_role("group", name=t("console.studios.check.result")).get_by_label(t("console.studios.check.passed"), exact=True).check()
        form.get_by_label(t("console.studios.check.notes"), exact=True).fill(f"{t(f'console.studios.check.{kind}')}: всё в порядке")
        click_and_check(page, t("console.studios.check.button"), f"/studios/{studio_id}/vetting-checks", f"the check {kind}", scope=form)
    table = page.get_by_role("region", name=t("console.studios.check.table"), exact=True)
    expect(table.get_by_role("row")).to_have_count(len(VETTING_CHECKS) + 1)
    passed("every vetting check is recorded as passed")
    check_page(page, "the studio page in vetting", signed_in=True)

    form = page.get_by_role("form", name=t("console.studios.page.decisions"))
    form.get_by_label(t("console.studios.decision.admit"), exact=True).check()
    form.get_by_label(t("console.studios.decision.reason"), exact=True).fill("все проверки пройдены")
    click_and_check(page, t("console.studios.decision.button"), f"/studios/{studio_id}/decisions", "admitting", scope=form)
    expect(page.get_by_role("heading", level=1)).to_contain_text(t("console.studios.state.active"))
    expect(page.get_by_role("form", name=t("console.studios.page.vetting"))).to_have_count(0)
    passed("the studio is admitted and vetting is closed")
    decisions = page.get_by_role("form", name=t("console.studios.page.decisions"))
    expect(decisions.get_by_label(t("console.studios.decision.suspend"), exact=True)).to_be_visible()
    expect(decisions.get_by_label(t("console.studios.decision.expel"), exact=True)).to_be_visible()
    passed("an admitted studio may be suspended, and the head is offered expulsion")
    check_page(page, "the admitted studio's page", signed_in=True)


def suspend_and_reinstate(page, base, studio_id):
    """Suspending asks first and changes nothing until confirmed; reinstating asks nothing."""
    open_studio(page, base, studio_id)
    form = page.get_by_role("form", name=t("console.studios.page.decisions"))
    form.get_by_label(t("console.studios.decision.suspend"), exact=True).check()
    form.get_by_label(t("console.studios.decision.reason"), exact=True).fill("сорваны сроки двух проектов")
    click_and_check(page, t("console.studios.decision.button"), f"/studios/{studio_id}/decisions", "suspending (the question)",
                    expected=200, scope=form)
    expect(page.get_by_role("heading", level=1)).to_contain_text(t("console.studios.confirm.suspend.question", name="").strip(" ?"))
    expect(page.get_by_text(t("console.studios.confirm.suspend.consequence"))).to_be_visible()
    passed("suspending asks first and says what follows")
    check_page(page, "the question before suspending", signed_in=True)
    click_and_check(page, t("console.studios.confirm.suspend.button"), f"/studios/{studio_id}/decisions", "suspending (confirmed)")
    expect(page.get_by_role("heading", level=1)).to_contain_text(t("console.studios.state.suspended"))
    form = page.get_by_role("form", name=t("console.studios.page.decisions"))
    form.get_by_label(t("console.studios.decision.reinstate"), exact=True).check()
    form.get_by_label(t("console.studios.decision.reason"), exact=True).fill("студия наверстала сроки")
    click_and_check(page, t("console.studios.decision.button"), f"/studios/{studio_id}/decisions", "reinstating", scope=form)
    expect(page.get_by_role("heading", level=1)).to_contain_text(t("console.studios.state.active"))
    passed("the studio is suspended after confirming and reinstated at once")


def register_client(page, base, name, contact_name, contact_email):
    """Registers a client with one contact; returns its id."""
    page.goto(base + "/clients")
    expect(page.get_by_role("heading", level=1)).to_have_text(t("console.clients.title"))
    check_page(page, "the clients", signed_in=True)
    page.get_by_role("link", name=t("console.clients.register"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("console.clients.new.title"))
    check_page(page, "the client form", signed_in=True)
    page.get_by_label(t("console.clients.field.name"), exact=True).fill(name)
    page.get_by_label(t("console.clients.field.contactName", number=1), exact=True).fill(contact_name)
    page.get_by_label(t("console.clients.field.contactEmail", number=1), exact=True).fill(contact_email)
    click_and_check(page, t("console.clients.new.button"), "/clients", f"registering {name}")
    expect(page).to_have_url(re.compile(r"/clients/cli_[^/]+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.get_by_role("main")).to_contain_text(contact_email)
    passed(f"{name} is registered with {contact_name} <{contact_email}>")
    check_page(page, "a new client's page", signed_in=True)
    return page.url.rsplit("/", 1)[1]


def edit_conflict(page, other_page, base, studio_id):
    """Two signed-in pages open the same studio; the first saves a new name, the second, still on
    the old version, is refused: it is told so and sees their name in the field and its own below."""
    open_studio(page, base, studio_id)
    open_studio(other_page, base, studio_id)
    form = page.get_by_role("form", name=t("console.studios.page.edit"))
    theirs = form.get_by_label(t("console.studios.field.name"), exact=True).input_value() + " (первая правка)"
    form.get_by_label(t("console.studios.field.name"), exact=True).fill(theirs)
    click_and_check(page, t("console.studios.edit.button"), f"/studios/{studio_id}", "the first edit", scope=form)
    expect(page.get_by_role("heading", level=1)).to_contain_text(theirs)

    other = other_page.get_by_role("form", name=t("console.studios.page.edit"))
    mine = "Вторая правка"
    other.get_by_label(t("console.studios.field.name"), exact=True).fill(mine)
    click_and_check(other_page, t("console.studios.edit.button"), f"/studios/{studio_id}", "the stale edit", expected=409, scope=other)
    expect(other_page.get_by_role("alert").first).to_contain_text(t("console.problem.conflict"))
    other = other_page.get_by_role("form", name=t("console.studios.page.edit"))
    expect(other.get_by_label(t("console.studios.field.name"), exact=True)).to_have_value(theirs)
    expect(other.get_by_text(f"{t('console.conflict.yours')} {mine}", exact=True)).to_be_visible()
    passed("the stale edit is refused: their name is in the field, “Вы ввели: Вторая правка” below it")
    check_page(other_page, "the studio page with a conflict", signed_in=True)
    open_studio(page, base, studio_id)
    expect(page.get_by_role("heading", level=1)).to_contain_text(theirs)
    passed("nothing was overwritten")


def invite_person(page, base, email, name, role, binding=None):
    """Invites a person from /people; returns the link shown once. `binding` is the studio's or
    client's name for those roles."""
    page.goto(base + "/people")
    expect(page.get_by_role("heading", level=1)).to_have_text(t("console.people.title"))
    check_page(page, "the people", signed_in=True)
    page.get_by_role("link", name=t("console.peoplePages.invite"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("console.peoplePages.new.title"))
    check_page(page, "the invitation form", signed_in=True)
    page.get_by_label(t("console.field.email"), exact=True).fill(email)
    page.get_by_label(t("console.people.name"), exact=True).fill(name)
    page.get_by_role("group", name=t("console.people.role")).get_by_label(t(f"console.role.{role}"), exact=True).check()
    if role in ("studio", "client"):
        page.get_by_role("combobox", name=t(f"console.peoplePages.field.{role}"), exact=True).select_option(label=binding)
    click_and_check(page, t("console.peoplePages.new.button"), "/people", f"inviting {name}", expected=201)
    link = page.locator("#invitation-link").inner_text()
    check("/invitations/" in link, f"the invitation link is shown: {link[:60]}…")
    check_page(page, "the invitation link", signed_in=True)
    page.goto(base + "/people")
    check(link not in page.content(), "the list does not show the link again")
    expect(page.get_by_role("row").filter(has_text=email)).to_contain_text(t("console.role." + role))
    passed(f"{name} is listed with the role {t('console.role.' + role)}")
    return link


def invite_russian_head(daemon, person):
    arguments = [daemon.binary, "person", "invite", "--data", daemon.data, "--config", os.path.join(ROOT, "Config", "clubd.json"),
                 "--email", person["email"], "--role", "coordinator", "--name", person["name"], "--language", "ru", "--head"]
    result = subprocess.run(arguments, capture_output=True, text=True, timeout=60)
    check(result.returncode == 0, f"clubd person invite --language ru exits 0 ({result.stderr.strip()[-300:]})")
    return daemon.base + path_of(result.stdout.strip().splitlines()[0])


def main():
    started = time.monotonic()
    with Daemon(sys.argv[1] if len(sys.argv) > 1 else None) as daemon, Browser(daemon) as browser:
        base = daemon.base
        page = browser.page()
        set_password(page, invite_russian_head(daemon, COORDINATOR), COORDINATOR, "the Russian head coordinator")
        answer = sign_in(page, base, COORDINATOR["email"], COORDINATOR["password"])
        check(answer.status == 303, f"the coordinator signs in (got {answer.status})")

        studio = register_studio(page, base, "Пиксельные руки", ["landing", "context_ads"], ["RU-MOW", "RU-SPE"], 100000, 2000000, 3)
        vet_and_admit(page, base, studio)
        suspend_and_reinstate(page, base, studio)
        client = register_client(page, base, "Яхт-чартер", "Олег", "oleg@yacht.example")
        check(client.startswith("cli_"), f"the client has an id ({client})")
        invite_person(page, base, "pm@pixel.example", "Павел Смирнов", "studio", "Пиксельные руки")

        other = browser.page()
        sign_in(other, base, COORDINATOR["email"], COORDINATOR["password"])
        edit_conflict(page, other, base, studio)

        open_studio(page, base, studio)
        screenshots(page, "console-studio-ru")
        page.goto(f"{base}/studios/{studio}?lang=en")
        expect(page.get_by_role("heading", name="Vetting")).to_be_visible()
        check_page(page, "the studio page in English", signed_in=True)
        screenshots(page, "console-studio-en")
        page.goto(f"{base}/studios/{studio}?lang=ru")
        check(not page.club_errors, "no page logged an error: " + "; ".join(page.club_errors))
    print(f"studios journey passed in {time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    main()
