"""The console's audits and records in a real browser, in Russian, by role and label: a coordinator
logs an audit finding by finding (one without a proposal is marked not constructive), records the
club's position on each, answers the audit, previews the response letter and downloads it as
Markdown and as a page to print; then searches the lessons, reads the reports (the funnel chart,
the scorecards' CSV) and verifies the journal's chain. axe-core checks every page visited;
screenshots of the audit page, the letter and the reports go to artifacts/screenshots/ at both
widths, in Russian and English.

Alone: source Scripts/lib/system-packages.sh; source Scripts/lib/browser_env.sh; ensure_browser_env
       "$BROWSER_PYTHON" Scripts/lib/journey_audits.py "$(swift build --show-bin-path)/clubd"
"""
import json
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from club_browser import ROOT, Browser, Daemon, check, check_accessibility, passed, screenshots  # noqa: E402
from playwright.sync_api import expect  # noqa: E402

CATALOGS = os.path.join(ROOT, "Sources", "ClubCore", "Localization", "Catalogs")
HEAD = {"name": "Анна Королёва", "email": "anna@club.example", "password": "lantern-harbour-quartz-47"}


def words(key, language="ru", **args):
    """A text of the catalogs (the audits', the records' or the shared one), placeholders filled."""
    for name in ("audits", "records", None):
        path = os.path.join(CATALOGS, f"{language}.{name}.json" if name else f"{language}.json")
        with open(path) as file:
            texts = json.load(file)["texts"]
        if key in texts:
            text = texts[key]
            if isinstance(text, dict):  # a plural: the form for many, enough to find the phrase
                text = text.get("many", text["other"])
            for placeholder, value in args.items():
                text = text.replace("{" + placeholder + "}", str(value))
            return text
    raise KeyError(key)


def heading(page, text):
    expect(page.get_by_role("heading", level=1)).to_have_text(text)


def submit(page, button, path_pattern):
    """Clicks the button and waits for the POST's redirect to land on a page matching the pattern."""
    page.get_by_role("button", name=button, exact=True).click()
    expect(page).to_have_url(re.compile(path_pattern))
    page.wait_for_load_state()


# --- audits ---------------------------------------------------------------------------------


def log_audit(page, base, engagement_id, auditor, subject, findings):
    """Logs an audit through the form; findings are dicts with statement, severity, category and
    proposal (None when the auditor proposed no fix). Returns the audit's id."""
    page.goto(f"{base}/engagements/{engagement_id}/audits/new")
    expect(page.get_by_role("heading", level=1)).to_contain_text(words("console.audits.new.title", studio="")[:10])
    check_accessibility(page, "the new audit form")
    page.get_by_label(words("console.audits.field.auditor"), exact=True).fill(auditor)
    page.get_by_label(words("console.audits.field.subject"), exact=True).fill(subject)
    for number, finding in enumerate(findings, start=1):
        page.get_by_label(words("console.audits.field.statement", number=number), exact=True).fill(finding["statement"])
        page.get_by_label(words("console.audits.field.severity", number=number), exact=True).fill(finding["severity"])
        page.get_by_label(words("console.audits.field.category", number=number), exact=True).fill(finding["category"])
        if finding.get("proposal"):
            page.get_by_label(words("console.audits.field.proposal", number=number), exact=True).fill(finding["proposal"])
    screenshots(page, "console-audit-new-ru")
    submit(page, words("console.audits.new.button"), r"/audits/aud_[A-Za-z0-9_-]+$")
    audit_id = page.url.rsplit("/", 1)[1]
    heading(page, words("console.audits.audit.title", subject=subject))
    for number, finding in enumerate(findings, start=1):
        section = page.get_by_role("region", name=re.compile("^" + re.escape(words("console.audits.finding", number=number))))
        expect(section.get_by_text(finding["statement"], exact=True)).to_be_visible()
        mark = section.get_by_text(words("console.audits.notConstructive"), exact=True)
        if finding.get("proposal"):
            expect(mark).to_have_count(0)
        else:
            expect(mark).to_be_visible()
    unconstructive = sum(1 for finding in findings if not finding.get("proposal"))
    passed(f"the audit {audit_id} was logged with {len(findings)} findings, {unconstructive} marked not constructive")
    check_accessibility(page, "the logged audit")
    return audit_id


def record_positions(page, base, audit_id, positions):
    """The club's position on each finding in order ((position, argument, evidence_url[, correction])
    with position accept, partial or dispute; an accepted or partly accepted finding carries its
    correction (statement or None for the auditor's proposal, acceptance, due day)), then the answer."""
    page.goto(f"{base}/audits/{audit_id}")
    check(page.get_by_role("button", name=words("console.audits.answer.button"), exact=True).count() == 0,
          "no answer is offered before every finding has a position")
    for number, (position, argument, evidence, *rest) in enumerate(positions, start=1):
        section = page.get_by_role("region", name=re.compile("^" + re.escape(words("console.audits.finding", number=number))))
        section.get_by_label(words(f"console.audits.position.{position}"), exact=True).check()
        section.get_by_label(words("console.audits.field.argument"), exact=True).fill(argument)
        section.get_by_label(words("console.audits.field.evidence"), exact=True).fill(evidence)
        if rest:
            statement, acceptance, due = rest[0]
            if statement:
                section.get_by_label(words("console.audits.field.correctionStatement"), exact=True).fill(statement)
            section.get_by_label(words("console.audits.field.correctionAcceptance"), exact=True).fill(acceptance)
            section.get_by_label(words("console.audits.field.correctionDue"), exact=True).fill(due)
        section.get_by_role("button", name=words("console.audits.position.button"), exact=True).click()
        expect(page).to_have_url(re.compile(rf"/audits/{audit_id}#finding-{number}$"))
        page.wait_for_load_state()
        section = page.get_by_role("region", name=re.compile("^" + re.escape(words("console.audits.finding", number=number))))
        expect(section.get_by_text(words(f"console.audits.position.{position}"), exact=True).first).to_be_visible()
        expect(section.get_by_role("link", name=evidence)).to_be_visible()
        if rest:
            expect(section.get_by_role("link", name=words("console.audits.correction.link")).first).to_be_visible()
    check_accessibility(page, "the audit with every position")
    passed(f"positions recorded on {len(positions)} findings through their forms")
    submit(page, words("console.audits.answer.button"), rf"/audits/{audit_id}$")
    expect(page.get_by_text(words("console.audits.state.answered"), exact=True)).to_be_visible()
    expect(page.get_by_role("link", name=words("console.audits.letter.open")).first).to_be_visible()
    passed("the audit is answered")


def letter(page, base, audit_id):
    """Previews the letter in Russian, then downloads it as Markdown and as a page to print.
    Returns the two files' paths."""
    page.goto(f"{base}/audits/{audit_id}")
    page.get_by_role("link", name=words("console.audits.letter.open")).first.click()
    expect(page).to_have_url(re.compile(rf"/audits/{audit_id}/letter$"))
    preview = page.get_by_role("article", name=words("console.audits.letter.preview"))
    expect(preview).to_contain_text(words("letter.method"))
    check_accessibility(page, "the letter preview")
    folder = os.path.join(ROOT, "artifacts", "downloads")
    os.makedirs(folder, exist_ok=True)
    paths = []
    for label, suffix in (("console.audits.letter.markdown", "md"), ("console.audits.letter.html", "html")):
        with page.expect_download() as download:
            page.get_by_role("link", name=words(label), exact=True).click()
        path = os.path.join(folder, download.value.suggested_filename)
        download.value.save_as(path)
        check(path.endswith("." + suffix), f"the letter downloads as {os.path.basename(path)}")
        paths.append(path)
    with open(paths[0], encoding="utf-8") as file:
        markdown = file.read()
    check(markdown.startswith("# ") and words("letter.method") in markdown, "the Markdown letter is the Russian letter")
    with open(paths[1], encoding="utf-8") as file:
        html = file.read()
    check("<style nonce=" in html and "<script" not in html and 'lang="ru"' in html, "the printable letter stands alone")
    # The printable page opened on its own: no error, nothing fetched from anywhere.
    page.goto("file://" + paths[1])
    expect(page.get_by_role("heading", level=1)).to_contain_text("«")
    check_accessibility(page, "the printable letter")
    page.goto(f"{base}/audits/{audit_id}/letter")
    return paths[0], paths[1]


# --- records --------------------------------------------------------------------------------


def records(page, base, query="предложением", found="критика коллеги засчитывается только с предложением",
            not_found="просите отзыв в конце каждого этапа"):
    """Lessons search (`query` finds the lesson `found` and not `not_found`), the reports with the
    funnel chart and the scorecards' CSV, the journal's chain verified."""
    page.goto(f"{base}/lessons")
    heading(page, words("console.records.lessons.title"))
    check_accessibility(page, "the lessons")
    page.get_by_label(words("console.records.lessons.search"), exact=True).fill(query)
    page.get_by_role("button", name=words("console.records.lessons.button"), exact=True).click()
    expect(page).to_have_url(re.compile(r"/lessons\?q="))
    expect(page.get_by_text(found, exact=True)).to_be_visible()
    expect(page.get_by_text(not_found, exact=True)).to_have_count(0)
    check_accessibility(page, "the lessons found")
    passed("the lessons search finds the lesson asked for, and only it")

    page.goto(f"{base}/reports")
    heading(page, words("console.records.reports.title"))
    chart = page.get_by_role("img", name=re.compile("^" + re.escape(words("console.records.funnel.chartLabel", period="", bars="")[:20])))
    expect(chart).to_be_visible()
    expect(chart.locator("text", has_text=words("console.records.status.matched"))).to_have_count(1)
    check_accessibility(page, "the reports")
    rating = page.get_by_role("columnheader", name=re.compile("^" + words("console.records.col.rating")))
    expect(rating).to_have_attribute("aria-sort", "descending")
    page.get_by_role("link", name=words("console.records.col.name"), exact=True).click()
    expect(page.get_by_role("columnheader", name=re.compile("^" + words("console.records.col.name")))).to_have_attribute("aria-sort", "ascending")
    passed("the scorecards sort by the column chosen")
    page.get_by_label(words("console.records.field.from"), exact=True).fill("2020-01-01")
    page.get_by_label(words("console.records.field.to"), exact=True).fill("2039-12-31")
    page.get_by_role("button", name=words("console.records.funnel.button"), exact=True).click()
    expect(page).to_have_url(re.compile(r"from=2020-01-01"))
    expect(page.get_by_role("img", name=re.compile("2020"))).to_be_visible()
    check_accessibility(page, "the reports for a period")
    with page.expect_download() as download:
        page.get_by_role("link", name=words("console.records.scorecards.csv"), exact=True).click()
    path = os.path.join(ROOT, "artifacts", "downloads", download.value.suggested_filename)
    download.value.save_as(path)
    with open(path, encoding="utf-8") as file:
        lines = file.read().splitlines()
    check(lines[0].startswith("studioId,name,rating") and len(lines) >= 2, f"the scorecards CSV has a header and {len(lines) - 1} studio row(s)")
    screenshots(page, "console-reports-ru")
    page.goto(page.url + "&lang=en")
    check_accessibility(page, "the reports in English")
    screenshots(page, "console-reports-en")
    page.goto(f"{base}/reports?lang=ru")

    page.goto(f"{base}/journal")
    heading(page, words("console.records.journal.title"))
    check_accessibility(page, "the journal")
    page.get_by_label(words("console.records.field.entityType"), exact=True).select_option("audit")
    page.get_by_role("button", name=words("console.records.journal.filterButton"), exact=True).click()
    expect(page).to_have_url(re.compile(r"entityType=audit"))
    expect(page.get_by_role("cell", name=words("console.records.entity.audit"), exact=True).first).to_be_visible()
    page.get_by_role("button", name=words("console.records.journal.verify"), exact=True).click()
    page.wait_for_load_state()
    expect(page.get_by_role("status")).to_contain_text(words("console.records.journal.intact", count=0).split(":")[0])
    check_accessibility(page, "the journal verified")
    passed("the journal's chain is verified from the console")


# --- seeding --------------------------------------------------------------------------------


def seed_engagement(club):
    """A vetted studio, a client, a matched request and its engagement with a retrospective."""
    head = club.head
    studio = club.call("POST", "/v1/studios", head, {"name": "Контекст Про", "competences": ["context_ads"], "regions": ["RU-MOW"],
                                                     "budgetMin": 100000, "budgetMax": 2000000, "capacity": 3}, 201)["id"]
    for kind in ["portfolio", "references", "trial_task", "interview"]:
        club.call("POST", f"/v1/studios/{studio}/vetting-checks", head, {"kind": kind, "passed": True}, 201)
    club.call("POST", f"/v1/studios/{studio}/decisions", head, {"decision": "admit", "reason": "все проверки пройдены"}, 201)
    client = club.call("POST", "/v1/clients", head, {"name": "Яхт Чартер", "contacts": [{"name": "Олег"}]}, 201)["id"]
    request = club.call("POST", "/v1/requests", head, {"clientId": client, "statedAsk": "Реклама яхт", "businessGoal": "заявки из интернета",
                                                       "budget": 600000, "deadline": "2030-02-01", "region": "RU-MOW"}, 201)["id"]
    club.call("PATCH", f"/v1/requests/{request}", head, {"requiredCompetences": ["context_ads"], "rationale": "нужна контекстная реклама"}, 200)
    club.call("POST", f"/v1/requests/{request}/shortlist", head, {"size": 3}, 201)
    studio_token = club.call("POST", "/v1/tokens", head, {"role": "studio", "studioId": studio, "name": "Контекст Про"}, 201)["token"]
    referral = club.call("POST", f"/v1/requests/{request}/referrals", head, {"studioIds": [studio]}, 201)["items"][0]["id"]
    club.call("POST", f"/v1/referrals/{referral}/answer", studio_token, {"accept": True}, 200)
    engagement = club.call("POST", f"/v1/requests/{request}/engagements", head, {"studioId": studio}, 201)["id"]
    club.call("POST", f"/v1/engagements/{engagement}/retrospective", head, {
        "facts": ["аудит нашёл один настоящий пробел"],
        "lessons": ["критика коллеги засчитывается только с предложением", "просите отзыв в конце каждого этапа"],
    }, 201)
    return engagement


def invite_russian_head(daemon):
    arguments = [daemon.binary, "person", "invite", "--data", daemon.data, "--config", os.path.join(ROOT, "Config", "clubd.json"),
                 "--email", HEAD["email"], "--role", "coordinator", "--name", HEAD["name"], "--language", "ru", "--head"]
    result = subprocess.run(arguments, capture_output=True, text=True, timeout=60)
    check(result.returncode == 0, f"clubd person invite exits 0 ({result.stderr.strip()[-300:]})")
    link = result.stdout.strip().splitlines()[0]
    return daemon.base + "/invitations/" + link.rsplit("/invitations/", 1)[1]


def both_languages(page, name):
    """Screenshots in Russian, then in English (the switch), then back to Russian."""
    screenshots(page, f"{name}-ru")
    url = page.url.split("?")[0].split("#")[0]
    page.goto(url + "?lang=en")
    check_accessibility(page, f"{name} in English")
    screenshots(page, f"{name}-en")
    page.goto(url + "?lang=ru")


FINDINGS = [
    {"statement": "слишком мало минус-слов", "severity": "критично", "category": "ключевые слова", "proposal": None},
    {"statement": "нет цели на звонок с сайта", "severity": "высокая", "category": "аналитика", "proposal": "добавить цель на звонок"},
    {"statement": "объявления показываются ночью", "severity": "критично", "category": "расписание", "proposal": None},
]
POSITIONS = [
    ("dispute", "важно качество минус-слов, а не их число: 212 слов отсекают все нецелевые запросы из логов",
     "https://example.org/search-terms.pdf"),
    ("accept", "цели на звонок не было; добавили, как предложено", "https://example.org/evidence/2"),
    ("partial", "ночные ставки снижены, но не отключены: треть бронирований приходит после 22:00", "https://example.org/evidence/3"),
]


def main():
    from console_check import set_password, sign_in  # the door, shared with the console check

    started = time.monotonic()
    with Daemon(sys.argv[1] if len(sys.argv) > 1 else None) as daemon, Browser(daemon) as browser:
        engagement = seed_engagement(daemon.club)
        page = browser.page()
        set_password(page, invite_russian_head(daemon), HEAD, "the Russian head coordinator")
        answer = sign_in(page, daemon.base, HEAD["email"], HEAD["password"])
        check(answer.status == 303, f"the head coordinator signs in (got {answer.status})")

        audit_id = log_audit(page, daemon.base, engagement, "Бюро аудита «Северный ветер»", "рекламная кампания", FINDINGS)
        record_positions(page, daemon.base, audit_id, POSITIONS)
        both_languages(page, "console-audit")
        letter(page, daemon.base, audit_id)
        both_languages(page, "console-letter")
        page.goto(f"{daemon.base}/audits")
        check_accessibility(page, "the audits list")
        expect(page.get_by_role("link", name="рекламная кампания")).to_be_visible()
        records(page, daemon.base)
        errors = [error for error in page.club_errors if "file://" not in error]
        check(not errors, "the pages logged no error (no Content-Security-Policy violation)" + ("" if not errors else ": " + "; ".join(errors)))
    print(f"audits journey passed in {time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    main()
