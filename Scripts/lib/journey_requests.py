"""The requests area of the console in a real browser (issue 10, items 1 and 2): a Russian coordinator
registers a client's request, reframes it, builds a shortlist (each candidate's score and every part
of it shown), offers the request to a studio, watches the referral's answer arrive live and starts
the engagement. Pages are driven by role and label, in Russian; axe-core checks every page visited.

Alone: source Scripts/lib/system-packages.sh and Scripts/lib/browser_env.sh, `ensure_browser_env`, then
    "$BROWSER_PYTHON" Scripts/lib/journey_requests.py "$(swift build --show-bin-path)/clubd"
"""
import json
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from club_browser import ROOT, Browser, Daemon, check, check_accessibility, passed, screenshots  # noqa: E402
from console_check import path_of, post_response, set_password, sign_in  # noqa: E402
from playwright.sync_api import expect  # noqa: E402

COORDINATOR = {"name": "Marina Volkova", "email": "marina@club.example", "password": "harbour-violet-granite-31"}
CATALOG = os.path.join(ROOT, "Sources", "ClubCore", "Localization", "Catalogs", "ru.requests.json")
# The parts of a score as the Russian page names them (ru.requests.json, console.requests.score.*).
SCORE_PARTS = ["coverage", "singleStudio", "budgetFit", "freeCapacity", "rating", "upheldComplaints", "region"]


def words():
    with open(CATALOG) as file:
        return json.load(file)["texts"]


def competence(value):
    """A competence of the vocabulary as the Russian page labels it."""
    return words().get(f"console.requests.competence.{value}", value)


def open_request(page, base, request_id):
    page.goto(f"{base}/requests/{request_id}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Заявка")
    check(page.locator("html").get_attribute("lang") == "ru", f"the request page {request_id} is in Russian")


def submit(form, page, button, path, what, expected=303):
    """Clicks the form's `button` and checks the POST to `path` answers `expected`."""
    with post_response(page, path) as answer:
        form.get_by_role("button", name=button, exact=True).click()
    page.wait_for_load_state()
    check(answer.value.status == expected, f"{what}: the form answers {expected} (got {answer.value.status})")


def tick(group, labels):
    """Ticks exactly the checkboxes of `group` (a form or fieldset) whose labels are in `labels`."""
    boxes = group.get_by_role("checkbox")
    for index in range(boxes.count()):
        box = boxes.nth(index)
        name = box.evaluate("element => element.labels[0].textContent.trim()")
        box.set_checked(name in labels)


def register_request(page, base, client_name, stated_ask, business_goal, budget, deadline, region):
    """Registers a client's request through /requests/new; returns its id."""
    page.goto(base + "/requests")
    expect(page.get_by_role("heading", level=1)).to_have_text("Заявки")
    check_accessibility(page, "the inbox of requests")
    page.get_by_role("link", name="Зарегистрировать заявку").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Регистрация заявки")
    check_accessibility(page, "the page that registers a request")
    form = page.get_by_role("form", name="Регистрация заявки")
    form.get_by_label("Клиент", exact=True).select_option(label=client_name)
    form.get_by_label("Что просит клиент", exact=True).fill(stated_ask)
    form.get_by_label("Бизнес-цель", exact=True).fill(business_goal)
    form.get_by_label("Бюджет", exact=True).fill("много")
    form.get_by_label("Срок", exact=True).fill(deadline)
    form.get_by_label("Регион", exact=True).fill(region)
    form.get_by_label("Почему клуб передаёт заявку", exact=True).select_option(label="Вне специализации клуба")
    submit(form, page, "Зарегистрировать заявку", "/requests", "a budget that is not a number", expected=422)
    expect(page.get_by_text("Укажите целое число").first).to_be_visible()
    expect(page.get_by_label("Что просит клиент", exact=True)).to_have_value(stated_ask)
    passed("a budget that is not a number comes back next to its field, with what was typed kept")
    check_accessibility(page, "the request form with a problem")
    form = page.get_by_role("form", name="Регистрация заявки")
    form.get_by_label("Бюджет", exact=True).fill(str(budget))
    submit(form, page, "Зарегистрировать заявку", "/requests", f"registering “{stated_ask}”")
    expect(page).to_have_url(re.compile(r"/requests/req_[A-Za-z0-9]+$"))
    request_id = page.url.rsplit("/", 1)[1]
    expect(page.get_by_role("region", name="Слова клиента")).to_contain_text(stated_ask)
    expect(page.get_by_role("region", name="Слова клиента")).to_contain_text(business_goal)
    passed(f"the request {request_id} shows the client's stated ask and business goal")
    check_accessibility(page, "a new request's page")

    page.goto(f"{base}/requests?region={region}")
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=stated_ask, exact=True))
    expect(row).to_contain_text(client_name)
    expect(row).to_contain_text("новая")
    passed("the inbox filtered by region lists the request as new, with its client")
    check_accessibility(page, "the inbox filtered by region")
    return request_id


def reframe(page, base, request_id, competences, approach, rationale):
    """Reframes the request: required competences (vocabulary values), approach and rationale."""
    open_request(page, base, request_id)
    form = page.get_by_role("form", name="Переосмысление")
    tick(form.get_by_role("group", name="Нужные компетенции"), {competence(value) for value in competences})
    form.get_by_label("Предлагаемый подход", exact=True).fill(approach)
    form.get_by_label("Обоснование", exact=True).fill(rationale)
    submit(form, page, "Сохранить переосмысление", f"/requests/{request_id}", "saving the reframing")
    expect(page.get_by_text("переосмыслена").first).to_be_visible()
    form = page.get_by_role("form", name="Переосмысление")
    for value in competences:
        expect(form.get_by_label(competence(value), exact=True)).to_be_checked()
    expect(form.get_by_label("Обоснование", exact=True)).to_have_value(rationale)
    passed(f"the request is reframed into {', '.join(competences)}")
    check_accessibility(page, "the reframed request")


def shortlist_and_offer(page, base, request_id, studio_name, scope=None, exclude_names=None, size=3, also=()):
    """Builds a shortlist (all of the scope unless `scope` names part of it), checks `studio_name`
    is listed with every part of its score, and offers the request to it (and to the studios
    named in `also`, so that the client has candidates to choose between)."""
    open_request(page, base, request_id)
    form = page.get_by_role("form", name="Подобрать студии")
    form.get_by_label("Сколько студий", exact=True).fill(str(size))
    if scope is not None:
        tick(form.get_by_role("group", name="Объём работ"), {competence(value) for value in scope})
    tick(form.get_by_role("group", name="Не предлагать"), set(exclude_names or []))
    submit(form, page, "Подобрать студии", f"/requests/{request_id}/shortlist", "making the shortlist")
    shortlist = page.get_by_role("region", name="Подбор студий")
    candidate = shortlist.get_by_role("listitem").filter(has=page.get_by_role("heading", name=re.compile(re.escape(studio_name))))
    expect(candidate).to_have_count(1)
    texts = words()
    for part in SCORE_PARTS:
        label = texts[f"console.requests.score.{part}"]
        expect(candidate.get_by_role("rowheader", name=re.compile("^" + re.escape(label) + r" \("))).to_be_visible()
    expect(candidate.locator("meter")).to_have_count(len(SCORE_PARTS))
    meters = candidate.locator("meter")
    for index in range(meters.count()):
        check(meters.nth(index).evaluate("m => !!m.getAttribute('aria-labelledby') && m.value >= 0 && m.value <= 1"),
              f"{studio_name}: bar {index + 1} of the score is labelled and between 0 and 1")
    expect(candidate).to_contain_text("Свободно проектов")
    expect(candidate).to_contain_text("Рейтинг")
    passed(f"{studio_name} is shortlisted with its score, every part of it as a labelled bar, its free capacity and scorecard")
    for name in exclude_names or []:
        expect(shortlist.get_by_role("heading", name=re.compile(re.escape(name)))).to_have_count(0)
        passed(f"{name} was left out as asked")
    check_accessibility(page, "the request page with its shortlist")

    form = page.get_by_role("form", name="Предложить заявку")
    form.get_by_label(studio_name, exact=True).check()
    for name in also:
        form.get_by_label(name, exact=True).check()
    submit(form, page, "Предложить выбранным студиям", f"/requests/{request_id}/referrals", f"offering the request to {studio_name}")
    referrals = page.get_by_role("region", name="Предложения студиям")
    expect(referrals).to_contain_text(f"{studio_name}: ждём ответа")
    expect(referrals.locator("[data-due]").first).to_contain_text(re.compile(r"осталось \d+ ч \d+ мин"))
    passed(f"the referral to {studio_name} waits for an answer, counting down its 48 hours")
    check_accessibility(page, "the request page with an open referral")


def rush_needs_shared_responsibility(page, base, request_id, accepted_by, note):
    """A rush request: the shortlist is refused at the top of its form until the client's
    acceptance of shared responsibility is recorded; then it is made."""
    open_request(page, base, request_id)
    expect(page.get_by_role("note", name="Срочная заявка")).to_be_visible()
    passed("the rush request shows its banner")
    form = page.get_by_role("form", name="Подобрать студии")
    submit(form, page, "Подобрать студии", f"/requests/{request_id}/shortlist", "a shortlist of a rush request without the record", expected=409)
    form = page.get_by_role("form", name="Подобрать студии")
    with open(os.path.join(os.path.dirname(CATALOG), "ru.json")) as file:
        refusal = json.load(file)["texts"]["rule.rush-needs-shared-responsibility"]
    expect(form.get_by_role("alert")).to_have_text(refusal)
    passed("the refusal is said at the top of the shortlist form, in Russian")
    check_accessibility(page, "the rush request with its shortlist refused")
    form = page.get_by_role("form", name="Разделённая ответственность")
    form.get_by_label("Кто согласился", exact=True).fill(accepted_by)
    form.get_by_label("О чём договорились", exact=True).fill(note)
    submit(form, page, "Зафиксировать согласие", f"/requests/{request_id}/shared-responsibility", "recording shared responsibility")
    expect(page.get_by_role("region", name="Разделённая ответственность")).to_contain_text(note)
    passed("the shared-responsibility record shows who and what was agreed")
    form = page.get_by_role("form", name="Подобрать студии")
    submit(form, page, "Подобрать студии", f"/requests/{request_id}/shortlist", "the shortlist once responsibility is shared")
    expect(page.get_by_role("heading", name="Последний подбор")).to_be_visible()
    check_accessibility(page, "the rush request with its shortlist")


def referral_item(page, studio_name):
    """The referral to `studio_name` in the request page's list of referrals."""
    referrals = page.get_by_role("region", name="Предложения студиям")
    return referrals.get_by_role("listitem").filter(has=page.get_by_role("heading", name=re.compile("^" + re.escape(studio_name) + ":")))


def recommend(page, base, request_id, studio_name, text):
    """The coordinator's recommendation to the client on the referral to `studio_name`."""
    open_request(page, base, request_id)
    form = referral_item(page, studio_name).get_by_role("form", name="Рекомендация клиенту")
    form.get_by_label("Рекомендация клиенту", exact=True).fill(text)
    submit(form, page, "Сохранить рекомендацию", f"/requests/{request_id}/recommendation", f"recommending {studio_name}")
    expect(referral_item(page, studio_name)).to_contain_text(text)
    passed(f"{studio_name} is recommended to the client: the client reads it beside the studio's answer")
    check_accessibility(page, "the request page with a recommendation")


def start_engagement(page, base, request_id, studio_name, scope, note=None):
    """Starts the engagement with the studio that accepted; with `note`, it is the client's
    choice the coordinator records (say, made on the phone). Returns the engagement's id."""
    open_request(page, base, request_id)
    form = page.get_by_role("form", name=f"Начать проект со студией {studio_name}")
    tick(form, {competence(value) for value in scope})
    if note is not None:
        form.get_by_label("Как выбрал клиент", exact=True).fill(note)
    submit(form, page, "Начать проект", f"/requests/{request_id}/engagements", f"starting the engagement with {studio_name}")
    expect(page).to_have_url(re.compile(r"/engagements/eng_[A-Za-z0-9]+$"))
    engagement_id = page.url.rsplit("/", 1)[1]
    passed(f"the engagement {engagement_id} is started and its page opens")
    check_accessibility(page, "the new engagement's page")
    open_request(page, base, request_id)
    expect(page.get_by_text("студия найдена").first).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(f"Проект студии {re.escape(studio_name)}"))).to_be_visible()
    passed("the request is matched and links to its engagement")
    check_accessibility(page, "the matched request")
    return engagement_id


# --- alone ------------------------------------------------------------------------------------


def seed(club):
    """Three vetted studios and a client, through the API; returns ({name: studio id}, client id)."""
    head = club.head
    studios = {}
    for name, competences, budget in [("Pixel Hands", ["landing", "context_ads"], (100000, 2000000)),
                                      ("Landing Lab", ["landing", "web"], (80000, 900000)),
                                      ("Ad Minds", ["context_ads", "analytics"], (150000, 1500000))]:
        studio = club.call("POST", "/v1/studios", head, {"name": name, "competences": competences, "regions": ["RU-MOW"],
                                                         "budgetMin": budget[0], "budgetMax": budget[1], "capacity": 3}, 201)["id"]
        for kind in ["portfolio", "references", "trial_task", "interview"]:
            club.call("POST", f"/v1/studios/{studio}/vetting-checks", head, {"kind": kind, "passed": True}, 201)
        club.call("POST", f"/v1/studios/{studio}/decisions", head, {"decision": "admit", "reason": "all checks passed"}, 201)
        studios[name] = studio
    client = club.call("POST", "/v1/clients", head, {"name": "Яхт Чартер", "contacts": [{"name": "Олег"}]}, 201)["id"]
    return studios, client


def invite_russian_head(daemon, person):
    arguments = [daemon.binary, "person", "invite", "--data", daemon.data, "--config", os.path.join(ROOT, "Config", "clubd.json"),
                 "--email", person["email"], "--role", "coordinator", "--name", person["name"], "--language", "ru", "--head"]
    result = subprocess.run(arguments, capture_output=True, text=True, timeout=60)
    check(result.returncode == 0, f"clubd person invite --language ru exits 0 ({result.stderr.strip()[-300:]})")
    return daemon.base + path_of(result.stdout.strip().splitlines()[0])


def main():
    started = time.monotonic()
    with Daemon(sys.argv[1] if len(sys.argv) > 1 else None) as daemon, Browser(daemon) as browser:
        club = daemon.club
        studios, _ = seed(club)
        page = browser.page()
        set_password(page, invite_russian_head(daemon, COORDINATOR), COORDINATOR, "the Russian coordinator")
        answer = sign_in(page, daemon.base, COORDINATOR["email"], COORDINATOR["password"])
        check(answer.status == 303, f"the coordinator signs in (got {answer.status})")
        base = daemon.base

        request = register_request(page, base, "Яхт Чартер", "Продвижение в Instagram", "Заявки из интернета", 600000, "2030-02-01", "RU-MOW")
        page.goto(base + "/requests")
        expect(page.get_by_role("heading", level=1)).to_have_text("Заявки")
        screenshots(page, "console-requests-ru")
        reframe(page, base, request, ["landing", "context_ads"], "Лендинг и контекстная реклама",
                "Для Instagram мало контента; контекст приводит тех, кто уже ищет чартер")
        shortlist_and_offer(page, base, request, "Pixel Hands", exclude_names=["Landing Lab"])
        screenshots(page, "console-request-ru")
        # Close-ups at phone width, to look at the client's words and one candidate's bars.
        page.set_viewport_size({"width": 375, "height": 812})
        page.locator(".side-by-side").screenshot(path=os.path.join(ROOT, "artifacts", "screenshots", "console-request-ru-words-375.png"))
        page.locator(".candidate").first.screenshot(path=os.path.join(ROOT, "artifacts", "screenshots", "console-request-ru-candidate-375.png"))
        page.set_viewport_size({"width": 1280, "height": 800})
        page.goto(f"{base}/requests/{request}?lang=en")
        expect(page.get_by_role("heading", name="Shortlist", exact=True)).to_be_visible()
        check_accessibility(page, "the request page in English")
        screenshots(page, "console-request-en")
        open_request(page, base, f"{request}?lang=ru")

        # The studio accepts through the API while the page is open: the referral updates by itself.
        token = club.call("POST", "/v1/tokens", club.head, {"role": "studio", "studioId": studios["Pixel Hands"], "name": "Pixel Hands PM"}, 201)["token"]
        referral = club.call("GET", f"/v1/referrals?requestId={request}", club.head, expect=200)["items"][0]["id"]
        club.call("POST", f"/v1/referrals/{referral}/answer", token, {"accept": True, "note": "двое свободны с понедельника"}, 200)
        referrals = page.get_by_role("region", name="Предложения студиям")
        expect(referrals).to_contain_text("Pixel Hands: принято")
        expect(referrals.get_by_role("form", name="Начать проект со студией Pixel Hands")).to_be_visible()
        passed("the studio's acceptance appears on the open page without a reload")
        check_accessibility(page, "the request page after the live update")

        engagement = start_engagement(page, base, request, "Pixel Hands", ["landing", "context_ads"])
        started_engagement = club.call("GET", f"/v1/engagements/{engagement}", club.head, expect=200)
        record = started_engagement.get("engagement", started_engagement)
        check(record["studioId"] == studios["Pixel Hands"] and sorted(record["scope"]) == ["context_ads", "landing"],
              "the API shows the engagement with Pixel Hands on the whole scope")
        check(club.call("GET", f"/v1/requests/{request}", club.head, expect=200)["status"] == "matched", "the API shows the request matched")

        soon = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 3 * 86400))
        rush = register_request(page, base, "Яхт Чартер", "Лендинг к выставке", "Заявки с выставки", 300000, soon, "RU-MOW")
        reframe(page, base, rush, ["landing"], "Одностраничный лендинг", "К выставке успеет только лендинг")
        rush_needs_shared_responsibility(page, base, rush, "Олег", "Клиент понимает риск сжатого срока и разделяет его")
        # The answers that are not 2xx on purpose: a budget that is not a number (422), the
        # shortlist of a rush request without the record (409).
        errors = [error for error in page.club_errors if "status of 422" not in error and "status of 409" not in error]
        check(not errors, "no page logged an error: " + "; ".join(errors))
    print(f"requests journey passed in {time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    main()
