"""The engagements area of the console in a real browser (issue 10): a Russian coordinator adds and
fulfils an agreement, records a check-in, moves the stages, parts with the client and offers
consulting, schedules and marks a session, writes the retrospective and downloads the case file.
Pages are driven by role and label, in Russian; axe-core checks every page visited.

Alone: source Scripts/lib/system-packages.sh and Scripts/lib/browser_env.sh, `ensure_browser_env`, then
    "$BROWSER_PYTHON" Scripts/lib/journey_engagements.py "$(swift build --show-bin-path)/clubd"
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from club_browser import ROOT, Browser, Daemon, check, check_accessibility, passed, screenshots  # noqa: E402
from console_check import path_of, post_response, set_password, sign_in  # noqa: E402
from playwright.sync_api import expect  # noqa: E402

COORDINATOR = {"name": "Irina Sokolova", "email": "irina@club.example", "password": "meadow-lantern-copper-58"}
OWNERS = {"club": "клуб", "client": "клиент", "studio": "студия"}
SIDES = OWNERS
SESSION_STATES = {"held": "проведена", "cancelled": "отменена"}


def open_engagement(page, base, engagement_id):
    page.goto(f"{base}/engagements/{engagement_id}")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    check(page.locator("html").get_attribute("lang") == "ru", f"the engagement page {engagement_id} is in Russian")


def open_form(page, title):
    """The form named `title`, unfolded first: the long forms of the page fold away until used."""
    summary = page.locator("details > summary").filter(has_text=re.compile("^" + re.escape(title) + "$"))
    if summary.count() and not summary.evaluate("summary => summary.parentElement.open"):
        summary.click()
    form = page.get_by_role("form", name=title)
    expect(form).to_be_visible()
    return form


def add_agreement(page, base, engagement_id, what, owner, due, consequence):
    """Adds an agreement through the form; `owner` is club, client or studio, `due` a day (YYYY-MM-DD)."""
    open_engagement(page, base, engagement_id)
    form = open_form(page, "Добавить договорённость")
    form.get_by_label("О чём договорились", exact=True).fill(what)
    form.get_by_label("Кто выполняет", exact=True).select_option(label=OWNERS[owner])
    form.get_by_label("Срок", exact=True).fill(due)
    form.get_by_label("Что будет, если не выполнить", exact=True).fill(consequence)
    with post_response(page, f"/engagements/{engagement_id}/agreements") as answer:
        form.get_by_role("button", name="Добавить договорённость").click()
    page.wait_for_load_state()
    check(answer.value.status == 303, f"adding the agreement “{what}” answers 303 (got {answer.value.status})")
    agreement = page.get_by_role("listitem").filter(has=page.get_by_role("heading", name=what, exact=True))
    expect(agreement).to_contain_text(OWNERS[owner])
    expect(agreement).to_contain_text("ещё нет")
    passed(f"the agreement “{what}” is listed, owed by {OWNERS[owner]}, confirmed by neither side yet")
    check_accessibility(page, "the engagement page with a new agreement")


def fulfil_agreement(page, base, engagement_id, what):
    open_engagement(page, base, engagement_id)
    agreement = page.get_by_role("listitem").filter(has=page.get_by_role("heading", name=what, exact=True))
    with page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith("/fulfil")) as answer:
        agreement.get_by_role("button", name=f"Отметить выполненной: {what}").click()
    page.wait_for_load_state()
    check(answer.value.status == 303, f"fulfilling “{what}” answers 303 (got {answer.value.status})")
    agreement = page.get_by_role("listitem").filter(has=page.get_by_role("heading", name=what, exact=True))
    expect(agreement).to_contain_text("Выполнено")
    expect(agreement.get_by_role("button")).to_have_count(0)
    passed(f"the agreement “{what}” is fulfilled and offers the button no more")
    check_accessibility(page, "the engagement page with a fulfilled agreement")


def record_check_in(page, base, engagement_id, attendees, report, sentiment, risks):
    """Records a check-in held now; `attendees` and `risks` are lists."""
    open_engagement(page, base, engagement_id)
    form = open_form(page, "Записать встречу")
    form.get_by_label("Участники", exact=True).fill("\n".join(attendees))
    form.get_by_label("Отчёт студии", exact=True).fill(report)
    form.get_by_label("Настроение клиента", exact=True).fill(str(sentiment))
    form.get_by_label("Риски", exact=True).fill("\n".join(risks))
    path = f"/engagements/{engagement_id}/check-ins"
    with post_response(page, path) as answer:
        form.get_by_role("button", name="Записать встречу").click()
    page.wait_for_load_state()
    if not 1 <= sentiment <= 5:
        check(answer.value.status == 422, f"a check-in with mood {sentiment} is refused with 422 (got {answer.value.status})")
        expect(page.locator("#clientSentiment-error")).to_have_text("От 1 до 5.")
        passed("the problem is shown next to the mood field")
        check_accessibility(page, "the engagement page with a refused check-in")
        return
    check(answer.value.status == 303, f"recording the check-in answers 303 (got {answer.value.status})")
    entry = page.get_by_role("list", name="Встречи").get_by_role("listitem").filter(has_text=report)
    expect(entry).to_contain_text(", ".join(attendees))
    expect(entry).to_contain_text(f"{sentiment} из 5")
    passed(f"the check-in “{report}” is listed with its attendees and mood {sentiment}")
    check_accessibility(page, "the engagement page with a new check-in")


def update_engagement(page, base, engagement_id, stages, status=None):
    """Ticks exactly `stages` among the stages reached and, if given, moves the state (a value of the enum)."""
    open_engagement(page, base, engagement_id)
    form = page.get_by_role("form", name="Изменить состояние и этапы")
    for box in form.get_by_role("checkbox").all():
        name = box.evaluate("e => e.value")
        box.set_checked(name in stages)
    if status:
        form.get_by_label("Состояние", exact=True).select_option(value=status)
    with post_response(page, f"/engagements/{engagement_id}") as answer:
        form.get_by_role("button", name="Сохранить изменения").click()
    page.wait_for_load_state()
    check(answer.value.status == 303, f"saving the stages {stages} answers 303 (got {answer.value.status})")
    reached = page.locator("dl.fields dt", has_text="Пройденные этапы").locator("xpath=following-sibling::dd[1]")
    expect(reached).to_have_text(", ".join(stages) if stages else "Ничего нет.")
    passed(f"the page shows the stages reached: {', '.join(stages) or 'none'}")
    check_accessibility(page, "the engagement page after changing stages")


def exit_with_consulting(page, base, engagement_id, reason, decided_by, sessions, valid_until_day):
    """Parts with the client (confirming on the question page), then offers free consulting."""
    open_engagement(page, base, engagement_id)
    form = open_form(page, "Расстаться с клиентом")
    form.get_by_label("Причина расставания", exact=True).fill(reason)
    form.get_by_label("Кто решил", exact=True).fill(decided_by)
    form.get_by_role("button", name="Расстаться с клиентом").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Расстаться с клиентом по этому проекту?")
    passed("parting asks first, saying what will happen")
    check_accessibility(page, "the question before parting")
    with post_response(page, f"/engagements/{engagement_id}/exit") as answer:
        page.get_by_role("button", name="Да, расстаться").click()
    page.wait_for_load_state()
    check(answer.value.status == 303, f"confirming the exit answers 303 (got {answer.value.status})")
    expect(page.locator("dl.fields").first).to_contain_text("прекращён")
    expect(page.get_by_text(reason)).to_be_visible()
    passed("the engagement is ended and the exit's reason shown")
    check_accessibility(page, "the engagement page after the exit")
    offer = page.get_by_role("form", name="Предложить бесплатные консультации")
    offer.get_by_label("Бесплатные консультации", exact=True).fill(str(sessions))
    offer.get_by_label("Действует до", exact=True).fill(valid_until_day)
    with post_response(page, f"/engagements/{engagement_id}/consulting-offer") as answer:
        offer.get_by_role("button", name="Предложить консультации").click()
    page.wait_for_load_state()
    check(answer.value.status == 303, f"offering consulting answers 303 (got {answer.value.status})")
    expect(page.get_by_text("ждём ответа клиента")).to_be_visible()
    passed(f"the offer of {sessions} sessions waits for the client's answer")
    check_accessibility(page, "the engagement page with a consulting offer")


def schedule_session(page, base, engagement_id, when_local, topic):
    """Schedules a session on the accepted offer; `when_local` as a datetime-local value (2030-01-31T10:00)."""
    open_engagement(page, base, engagement_id)
    expect(page.get_by_text("принято", exact=True)).to_be_visible()
    form = page.get_by_role("form", name="Назначить консультацию")
    form.get_by_label("Когда", exact=True).fill(when_local)
    form.get_by_label("Тема", exact=True).fill(topic)
    with post_response(page, f"/engagements/{engagement_id}/sessions") as answer:
        form.get_by_role("button", name="Назначить консультацию").click()
    page.wait_for_load_state()
    check(answer.value.status == 303, f"scheduling “{topic}” answers 303 (got {answer.value.status})")
    expect(page.get_by_role("heading", name=re.compile(re.escape(topic)))).to_be_visible()
    passed(f"the session “{topic}” is listed")
    check_accessibility(page, "the engagement page with a scheduled session")


def mark_session(page, base, engagement_id, topic, status, notes):
    """Marks the session about `topic` held or cancelled (`status`), with notes."""
    open_engagement(page, base, engagement_id)
    session = page.get_by_role("listitem").filter(has=page.get_by_role("heading", name=re.compile(re.escape(topic))))
    session.get_by_label(SESSION_STATES[status], exact=True).check()
    session.get_by_label("Заметки", exact=True).fill(notes)
    with page.expect_response(lambda r: r.request.method == "POST" and "/sessions/" in r.url) as answer:
        session.get_by_role("button", name="Сохранить итог").click()
    page.wait_for_load_state()
    check(answer.value.status == 303, f"marking “{topic}” {status} answers 303 (got {answer.value.status})")
    session = page.get_by_role("listitem").filter(has=page.get_by_role("heading", name=re.compile(re.escape(topic))))
    expect(session).to_contain_text(SESSION_STATES[status])
    expect(session).to_contain_text(notes)
    passed(f"the session “{topic}” is {SESSION_STATES[status]} with its notes")
    check_accessibility(page, "the engagement page with a marked session")


def write_retrospective(page, base, engagement_id, facts, emotions, mistakes, positives, differently, lessons):
    """`mistakes`: (side, statement, counterfactual[, club_only]) tuples; `differently`: (side,
    statement[, club_only]); the rest lists of lines. At most three of each row."""
    open_engagement(page, base, engagement_id)
    form = open_form(page, "Написать ретроспективу")
    form.get_by_label("Факты", exact=True).fill("\n".join(facts))
    form.get_by_label("Эмоции", exact=True).fill("\n".join(emotions))
    for number, (side, statement, counterfactual, *club_only) in enumerate(mistakes, start=1):
        form.get_by_label(f"Чья ошибка {number}", exact=True).select_option(label=SIDES[side])
        form.get_by_label(f"Ошибка {number}: в чём ошиблись", exact=True).fill(statement)
        form.get_by_label(f"Ошибка {number}: как было бы без неё", exact=True).fill(counterfactual)
        if club_only and club_only[0]:
            form.get_by_label(f"Ошибка {number}: только для клуба", exact=True).check()
    form.get_by_label("Что получилось", exact=True).fill("\n".join(positives))
    for number, (side, statement, *club_only) in enumerate(differently, start=1):
        form.get_by_label(f"Какая сторона {number}", exact=True).select_option(label=SIDES[side])
        form.get_by_label(f"Сделали бы иначе {number}: что", exact=True).fill(statement)
        if club_only and club_only[0]:
            form.get_by_label(f"Сделали бы иначе {number}: только для клуба", exact=True).check()
    form.get_by_label("Уроки", exact=True).fill("\n".join(lessons))
    with post_response(page, f"/engagements/{engagement_id}/retrospective") as answer:
        form.get_by_role("button", name="Сохранить ретроспективу").click()
    page.wait_for_load_state()
    check(answer.value.status == 303, f"writing the retrospective answers 303 (got {answer.value.status})")
    for line in facts + lessons + [mistake[1] for mistake in mistakes]:
        expect(page.get_by_text(line).first).to_be_visible()
    expect(page.get_by_role("form", name="Написать ретроспективу")).to_have_count(0)
    passed("the retrospective is shown and its form is gone")
    check_accessibility(page, "the engagement page with its retrospective")


def download_case_file(page, base, engagement_id):
    """Downloads the case file through its link; returns the saved file's path."""
    open_engagement(page, base, engagement_id)
    with page.expect_download() as download:
        page.get_by_role("link", name="Скачать дело проекта (JSON)").click()
    value = download.value
    check(value.suggested_filename == f"case-file-{engagement_id}.json", f"the download is named case-file-{engagement_id}.json")
    path = os.path.join(tempfile.mkdtemp(prefix="clubd-case-file-"), value.suggested_filename)
    value.save_as(path)
    return path


# --- the runner -----------------------------------------------------------------------------


def seed(club):
    """A studio, a client, a request matched to the studio (shortlist, referral accepted with the
    studio's token) and an engagement. Returns (engagement id, client token)."""
    head = club.head
    studio = club.call("POST", "/v1/studios", head, {"name": "Pixel Hands", "competences": ["landing", "context_ads"], "regions": ["RU-MOW"],
                                                     "budgetMin": 100000, "budgetMax": 2000000, "capacity": 3}, 201)["id"]
    for kind in ["portfolio", "references", "trial_task", "interview"]:
        club.call("POST", f"/v1/studios/{studio}/vetting-checks", head, {"kind": kind, "passed": True}, 201)
    club.call("POST", f"/v1/studios/{studio}/decisions", head, {"decision": "admit", "reason": "all checks passed"}, 201)
    client = club.call("POST", "/v1/clients", head, {"name": "Яхт Чартер", "contacts": [{"name": "Олег"}]}, 201)["id"]
    request = club.call("POST", "/v1/requests", head, {"clientId": client, "statedAsk": "Продвижение в Instagram",
                                                       "businessGoal": "заявки из интернета", "budget": 600000, "deadline": "2030-02-01",
                                                       "region": "RU-MOW"}, 201)["id"]
    club.call("PATCH", f"/v1/requests/{request}", head, {"requiredCompetences": ["landing", "context_ads"], "rationale": "мало контента"}, 200)
    club.call("POST", f"/v1/requests/{request}/shortlist", head, {"size": 3}, 201)
    studio_token = club.call("POST", "/v1/tokens", head, {"role": "studio", "studioId": studio, "name": "Pixel Hands PM"}, 201)["token"]
    client_token = club.call("POST", "/v1/tokens", head, {"role": "client", "clientId": client, "name": "Олег"}, 201)["token"]
    referral = club.call("POST", f"/v1/requests/{request}/referrals", head, {"studioIds": [studio]}, 201)["items"][0]["id"]
    club.call("POST", f"/v1/referrals/{referral}/answer", studio_token, {"accept": True}, 200)
    engagement = club.call("POST", f"/v1/requests/{request}/engagements", head, {"studioId": studio}, 201)["id"]
    return engagement, client_token


def invite_russian_head(daemon, person):
    arguments = [daemon.binary, "person", "invite", "--data", daemon.data, "--config", os.path.join(ROOT, "Config", "clubd.json"),
                 "--email", person["email"], "--role", "coordinator", "--name", person["name"], "--language", "ru", "--head"]
    result = subprocess.run(arguments, capture_output=True, text=True, timeout=60)
    check(result.returncode == 0, f"clubd person invite --language ru exits 0 ({result.stderr.strip()[-300:]})")
    return daemon.base + path_of(result.stdout.strip().splitlines()[0])


def board(page, base, engagement_id):
    page.goto(base + "/engagements")
    expect(page.get_by_role("heading", level=1)).to_have_text("Проекты")
    column = page.get_by_role("region", name=re.compile("^Идут"))
    expect(column.locator(f'a[href="/engagements/{engagement_id}"]')).to_be_visible()
    passed("the board shows the engagement under “Идут”")
    check_accessibility(page, "the board of engagements")
    screenshots(page, "console-engagements-ru")


def main():
    started = time.monotonic()
    with Daemon(sys.argv[1] if len(sys.argv) > 1 else None) as daemon, Browser(daemon) as browser:
        club = daemon.club
        engagement, client_token = seed(club)
        page = browser.page()
        set_password(page, invite_russian_head(daemon, COORDINATOR), COORDINATOR, "the Russian coordinator")
        answer = sign_in(page, daemon.base, COORDINATOR["email"], COORDINATOR["password"])
        check(answer.status == 303, f"the coordinator signs in (got {answer.status})")
        base = daemon.base

        board(page, base, engagement)
        add_agreement(page, base, engagement, "Клиент присылает тексты и фото", "client", "2030-01-20", "запуск сдвигается на дни задержки")
        fulfil_agreement(page, base, engagement, "Клиент присылает тексты и фото")
        record_check_in(page, base, engagement, ["Олег", "Pixel Hands PM"], "черновик дизайна готов", 9, [])
        record_check_in(page, base, engagement, ["Олег", "Pixel Hands PM"], "черновик дизайна готов", 4, ["тексты могут опоздать"])
        update_engagement(page, base, engagement, ["design"])
        screenshots(page, "console-engagement-ru")
        page.goto(f"{base}/engagements/{engagement}?lang=en")
        expect(page.get_by_role("heading", name="Agreements")).to_be_visible()
        check_accessibility(page, "the engagement page in English")
        screenshots(page, "console-engagement-en")
        page.goto(f"{base}/engagements/{engagement}?lang=ru")

        exit_with_consulting(page, base, engagement, "клиент решил остановить проект", "совет клуба", 2, "2030-12-31")
        offer = club.call("GET", f"/v1/engagements/{engagement}/case-file", club.head, expect=200)["consultingOffers"][0]["id"]
        club.call("POST", f"/v1/consulting-offers/{offer}/answer", client_token, {"accept": True}, 200)
        # A session an hour ago can be marked held at once.
        hour_ago = time.strftime("%Y-%m-%dT%H:%M", time.gmtime(time.time() - 3600))
        schedule_session(page, base, engagement, hour_ago, "Разбор рекламных кампаний")
        mark_session(page, base, engagement, "Разбор рекламных кампаний", "held", "клиент доволен, будет работать с клубом")
        write_retrospective(
            page, base, engagement,
            facts=["проект остановлен после дизайна"], emotions=["клиент устал ждать"],
            mistakes=[("studio", "отчёты приходили с опозданием", "клиент видел бы прогресс и не нервничал")],
            positives=["дизайн понравился"], differently=[("club", "звонить клиенту каждую неделю")],
            lessons=["еженедельный отчёт с первого дня"],
        )
        screenshots(page, "console-engagement-closed-ru")
        path = download_case_file(page, base, engagement)
        with open(path, "rb") as file:
            downloaded = file.read()
        document = json.loads(downloaded)
        check(document["engagement"]["id"] == engagement and document["retrospective"]["lessons"] == ["еженедельный отчёт с первого дня"],
              "the case file holds the engagement and its retrospective")
        result = subprocess.run([daemon.binary, "journal", "verify", "--case-file", path], capture_output=True, text=True, timeout=60)
        check(result.returncode == 0, f"clubd journal verify --case-file accepts the download ({(result.stdout + result.stderr).strip()[-200:]})")
        # The refused check-in's 422 is the browser's note of an answer the journey asked for.
        errors = [error for error in page.club_errors if not re.search(r"status of 422 .*/check-ins\)$", error)]
        check(not errors, "no page logged an error (no Content-Security-Policy violation): " + "; ".join(errors))
    print(f"engagements journey passed in {time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    main()
