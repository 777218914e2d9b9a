"""The debtor lookup on the web and the API: answers, privacy headers, clean logs, rate limits
(in memory and in Redis)."""

from __future__ import annotations

import json
import logging
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import limits.storage.memory
import pytest
import redis
from flask import Flask
from werkzeug.serving import make_server

from portal.debtors.importer import import_debtors
from portal.registers.identity import IdentityKeys
from portal.text.names import name_key
from portal.web.db import session_factory
from tests.support.debtorfiles import (
    TEST_SECRET,
    credit_code,
    organisation,
    person,
    resident_id,
    write_csv,
)
from tests.support.lookups import CROSS_SITE, logged_text, post
from tests.support.pagecheck import fetch, submit

NUMBER = resident_id()
MASKED = NUMBER[:6] + "*" * 12  # the region code alone
LOOKUP = "/en/debtors/"
API = "/api/v1/debtors/lookup"


def answer(page) -> str:
    """The answer's text, with its white space collapsed."""
    return " ".join(page.text_of(".debtor-answer").split())


def load(app: Flask, tmp_path: Path, rows: list[dict], demo: bool = False) -> None:
    path = write_csv(tmp_path / f"list-{uuid.uuid4().hex}.csv", rows)
    import_debtors(session_factory(app), path, IdentityKeys.from_secret(TEST_SECRET), demo=demo)


def standard_rows() -> list[dict]:
    return [
        person("R1", published_on="2024-03-01"),
        person("R2", id_number=resident_id(sequence="456"), published_on="2024-04-01"),
        person("GONE", id_number=resident_id(sequence="789"), removed_on="2024-05-01",
               removal_reason="paid"),
        organisation("O1"),
    ]  # fmt: skip


@pytest.fixture
def lookup_app(make_app, site, database_url: str, tmp_path: Path) -> Flask:
    site.standard()
    app = make_app(database_url, SECRET_KEY=TEST_SECRET, RATELIMIT_ENABLED=False)
    load(app, tmp_path, standard_rows())
    return app


@pytest.fixture
def lookup_client(lookup_app: Flask):
    return lookup_app.test_client()


def test_the_lookup_form_posts_and_is_private(lookup_client) -> None:
    page = fetch(lookup_client, LOOKUP)
    form = page.html.select_one("form.debtor-form")
    assert form["method"] == "post"
    assert form["action"] == LOOKUP
    assert page.html.select_one("#debtor-number")["autocomplete"] == "off"
    assert page.html.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert page.response.headers["Cache-Control"] == "no-store"
    assert page.response.headers["X-Robots-Tag"] == "noindex"
    assert page.html.select(".debtor-record") == []  # the page never lists the register
    assert "The list as of " in page.text_of(".debtor-as-of")


def test_the_home_page_offers_the_lookup(fetch_page) -> None:
    page = fetch_page("/en/")
    assert page.html.select_one(".main-nav a[href='/en/debtors/']").get_text() == "Debtor lookup"


def test_name_and_number_give_the_record_with_the_number_masked(lookup_client) -> None:
    page = submit(lookup_client, LOOKUP, {"name": "張 偉", "number": NUMBER.lower()})
    html = page.response.get_data(as_text=True)
    assert page.response.headers["Cache-Control"] == "no-store"
    assert page.response.headers["X-Robots-Tag"] == "noindex"
    assert answer(page).startswith("On the list. 1 listed record matches")
    assert "This answer is as of" in answer(page)
    (record,) = page.html.select(".debtor-record")
    assert record.select_one("h3").get_text() == "张伟"
    assert record.select_one(".debtor-record__number").get_text() == MASKED
    text = record.get_text(" ", strip=True)
    for value in ("上海市黄浦区人民法院", "（2023）沪0101执123号", "民初456号民事判决书",
                  "支付货款人民币100000元", "Not performed at all",
                  "Able to perform the obligations but refuses to", "March 1, 2024"):  # fmt: skip
        assert value in text
    assert NUMBER not in html
    assert NUMBER[:17] not in html
    assert page.html.select_one("#debtor-number").get("value") is None  # never echoed back
    assert page.html.select_one("#debtor-name")["value"] == "張 偉"


def test_an_organisation_shows_its_full_code_and_representative(lookup_client) -> None:
    page = submit(lookup_client, LOOKUP, {"name": "上海某某贸易有限公司", "number": credit_code()})
    (record,) = page.html.select(".debtor-record")
    assert record.select_one(".debtor-record__number").get_text() == credit_code()
    assert "李强" in record.get_text()


def test_a_name_alone_lists_the_listed_namesakes_with_masked_numbers(lookup_client) -> None:
    page = submit(lookup_client, LOOKUP, {"name": "张伟"})
    numbers = [n.get_text() for n in page.html.select(".debtor-record__number")]
    other = resident_id(sequence="456")
    assert numbers == [other[:6] + "*" * 12, MASKED]  # GONE absent
    assert "2 listed records have this name" in answer(page)


def test_nobody_found_is_a_clear_not_on_the_list(lookup_client) -> None:
    page = submit(lookup_client, LOOKUP, {"name": "张伟", "number": resident_id(sequence="789")})
    assert answer(page).startswith(
        "Not on the list. No listed record matches this name and number. This answer is as of"
    )
    chinese = submit(lookup_client, "/zh/debtors/", {"name": "李四"})
    assert chinese.text_of(".debtor-answer").startswith("不在名单上。")


def test_invalid_input_is_explained_next_to_its_field(lookup_client) -> None:
    typed = NUMBER[:17] + ("1" if NUMBER[17] == "0" else "0")
    page = submit(lookup_client, LOOKUP, {"name": " ", "number": typed}, status=422)
    assert page.text_of("#debtor-name-error") == "Enter the name of the person or organisation."
    assert page.html.select_one("#debtor-name")["aria-describedby"] == "debtor-name-error"
    assert "neither a valid resident ID number" in page.text_of("#debtor-number-error")
    # The invalid number stays in the field, to be corrected; the name's field gets the focus.
    assert page.html.select_one("#debtor-number")["value"] == typed
    assert page.html.select_one("#debtor-name").has_attr("autofocus")
    assert not page.html.select_one("#debtor-number").has_attr("autofocus")
    assert page.html.title.get_text().startswith("Check the form – Debtor lookup")
    assert page.html.select(".debtor-result") == []


def test_a_valid_number_is_never_echoed_even_when_the_name_is_missing(lookup_client) -> None:
    page = submit(lookup_client, LOOKUP, {"name": "", "number": NUMBER}, status=422)
    assert NUMBER not in page.response.get_data(as_text=True)
    assert page.html.select_one("#debtor-number").get("value") is None


def test_an_invalid_number_alone_gets_the_focus(lookup_client) -> None:
    page = submit(lookup_client, LOOKUP, {"name": "张伟", "number": "310101"}, status=422)
    field = page.html.select_one("#debtor-number")
    assert field["value"] == "310101"
    assert field.has_attr("autofocus")
    assert field["aria-describedby"] == "debtor-number-hint debtor-number-error"


def test_demonstration_data_is_announced(make_app, site, sqlite_url, tmp_path: Path) -> None:
    app = make_app(sqlite_url, SECRET_KEY=TEST_SECRET, RATELIMIT_ENABLED=False)
    client = app.test_client()
    assert "has not been loaded yet" in fetch(client, LOOKUP).text_of(".debtor-as-of")
    load(app, tmp_path, [person("DEMO-1", name="示例张伟")], demo=True)
    page = submit(client, LOOKUP, {"name": "示例张伟", "number": NUMBER})
    assert "fictional demonstration data" in page.text_of(".notice--demo")
    assert page.text_of(".debtor-record__demo") == "Fictional demonstration record"


# -- The API --------------------------------------------------------------------------------


def test_the_api_answers_the_same_lookup_as_json(lookup_client) -> None:
    response = lookup_client.post(API, json={"name": "张伟", "id_number": NUMBER})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Robots-Tag"] == "noindex"
    body = response.get_json()
    assert (body["found"], body["match"], body["truncated"]) == (True, "name_and_number", False)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", body["as_of"])  # seconds, UTC
    (record,) = body["records"]
    assert record["identifier"] == {"type": "resident_id", "value": MASKED, "masked": True}
    assert record["circumstances"] == ["refuses_despite_ability"]
    assert NUMBER not in response.get_data(as_text=True)
    by_name = lookup_client.post(API, json={"name": "张伟"}).get_json()
    assert (by_name["match"], len(by_name["records"])) == ("name", 2)
    assert lookup_client.post(API, json={"name": "李四"}).get_json()["found"] is False


@pytest.mark.parametrize(
    ("kwargs", "status", "detail"),
    [
        ({"json": {"name": "张伟", "id_number": "123"}}, 422, "The lookup cannot be run as sent."),
        (
            {"json": {"name": 5}},
            400,
            '"name" must be a string, and "id_number" a string or absent.',
        ),
        ({"data": "name=张伟"}, 400, "Send a JSON object"),
    ],
)
def test_api_errors_are_problem_details(lookup_client, kwargs, status: int, detail: str) -> None:
    response = lookup_client.post(API, **kwargs)
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == status
    assert body["type"] == "about:blank"
    assert body["title"]
    assert body["detail"].startswith(detail)


def test_the_api_refuses_get_with_a_problem(lookup_client) -> None:
    response = lookup_client.get(API)
    assert response.status_code == 405
    assert response.mimetype == "application/problem+json"


# -- Logs -----------------------------------------------------------------------------------


def test_no_log_line_holds_a_looked_up_name_or_number(
    lookup_app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    lookup_app.config["RATELIMIT_ENABLED"] = True
    name, other_name = "張偉", "王秘密"
    # A real server, so that the access log is written too.
    server = make_server("127.0.0.1", 0, lookup_app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        statuses = [
            post(base + LOOKUP, urllib.parse.urlencode(form).encode(), {})
            for form in ({"name": name, "number": NUMBER}, {"name": other_name},
                         {"name": name, "number": NUMBER[:17]})
        ]  # fmt: skip
        body = json.dumps({"name": other_name, "id_number": NUMBER}).encode()
        statuses.append(post(base + API, body, {"Content-Type": "application/json"}))
        assert statuses == [200, 200, 422, 200]
    finally:
        server.shutdown()
        thread.join()
    logged = logged_text(caplog.records)
    assert "POST /en/debtors/" in logged  # the access log was captured
    for secret in (name, other_name, name_key(name), NUMBER, NUMBER[:17],
                   IdentityKeys.from_secret(TEST_SECRET).number_hash(NUMBER)):  # fmt: skip
        assert secret not in logged


# -- Rate limits ----------------------------------------------------------------------------


def limited_app(make_app, site, url: str, tmp_path: Path, **overrides) -> Flask:
    site.standard()
    app = make_app(url, SECRET_KEY=TEST_SECRET, DEBTOR_LOOKUP_LIMITS="2 per minute;50 per day",
                   **overrides)  # fmt: skip
    load(app, tmp_path, standard_rows())
    return app


def test_too_many_lookups_get_a_designed_429_with_retry_after(
    make_app, site, database_url: str, tmp_path: Path
) -> None:
    client = limited_app(make_app, site, database_url, tmp_path).test_client()
    fetch(client, LOOKUP)  # showing the empty form costs nothing
    submit(client, LOOKUP, {"name": "张伟"})
    assert client.post(API, json={"name": "张伟"}).status_code == 200  # one budget for both
    page = submit(client, LOOKUP, {"name": "张伟"}, status=429)
    assert page.text_of("h1") == "Too many lookups"
    assert 1 <= int(page.response.headers["Retry-After"]) <= 61
    assert page.response.headers["Cache-Control"] == "no-store"
    assert page.response.headers["X-Robots-Tag"] == "noindex"
    assert "Please try again in" in page.response.get_data(as_text=True)
    api = client.post(API, json={"name": "张伟"})
    assert api.status_code == 429
    assert api.mimetype == "application/problem+json"
    assert int(api.headers["Retry-After"]) >= 1
    assert (api.headers["Cache-Control"], api.headers["X-Robots-Tag"]) == ("no-store", "noindex")
    chinese = submit(client, "/zh/debtors/", {"name": "张伟"}, status=429)
    assert chinese.text_of("h1") == "查询过于频繁"
    # Another client has its own budget.
    other = {"REMOTE_ADDR": "192.0.2.7"}
    submit(client, LOOKUP, {"name": "张伟"}, environ_base=other)


def remaining_budget(headers) -> dict[str, tuple[int, int]]:
    """The RateLimit field as {policy: (remaining, seconds until reset)}."""
    fields = re.findall(r'"([a-z0-9-]+)";r=(\d+);t=(\d+)', headers["RateLimit"])
    assert ", ".join(f'"{n}";r={r};t={t}' for n, r, t in fields) == headers["RateLimit"]
    return {name: (int(r), int(t)) for name, r, t in fields}


def test_lookup_answers_carry_the_ratelimit_fields_with_the_counters_true_values(
    make_app, site, database_url: str, tmp_path: Path
) -> None:
    client = limited_app(make_app, site, database_url, tmp_path).test_client()
    assert "RateLimit" not in fetch(client, LOOKUP).response.headers  # the empty form is free
    first = client.post(API, json={"name": "张伟"})
    policy = '"minute";q=2;w=60, "day";q=50;w=86400'
    assert first.headers["RateLimit-Policy"] == policy
    budget = remaining_budget(first.headers)
    assert [(name, left) for name, (left, _) in budget.items()] == [("minute", 1), ("day", 49)]
    assert 1 <= budget["minute"][1] <= 60
    assert 60 < budget["day"][1] <= 86400
    assert "RateLimit" in first.headers["Access-Control-Expose-Headers"]
    page = submit(client, LOOKUP, {"name": "张伟"}).response  # the page spends the same budget
    assert page.headers["RateLimit-Policy"] == policy
    assert {n: left for n, (left, _) in remaining_budget(page.headers).items()} == {
        "minute": 0,
        "day": 48,
    }
    refused = client.post(API, json={"name": "张伟"})
    assert refused.status_code == 429
    assert refused.headers["RateLimit-Policy"] == policy
    # The breached minute is the one counted; it opens again when Retry-After says.
    assert remaining_budget(refused.headers) == {"minute": (0, int(refused.headers["Retry-After"]))}
    refused_page = submit(client, LOOKUP, {"name": "张伟"}, status=429).response
    assert remaining_budget(refused_page.headers)["minute"][0] == 0
    bad = client.post(API, json={"name": 3}, environ_base={"REMOTE_ADDR": "192.0.2.9"})
    assert bad.status_code == 400  # a refused body still spent one lookup
    assert remaining_budget(bad.headers)["minute"][0] == 1


class Clock:
    """The rate-limit storage's clock, moved by the test rather than by waiting."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def time(self) -> float:
        return self.now


def test_the_window_moves_so_a_burst_across_a_minute_boundary_is_refused(
    make_app, site, sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a fixed window, 2 a minute let 2 through at the end of one minute and 2 more at the
    start of the next; a moving window lets no more than 2 through in any 60 seconds."""
    clock = Clock()
    monkeypatch.setattr(limits.storage.memory, "time", clock)
    client = limited_app(make_app, site, sqlite_url, tmp_path).test_client()
    statuses = []
    for moment in (0, 59, 61, 62, 119, 121):  # seconds after the first lookup
        clock.now = 1_800_000_000.0 + moment
        statuses.append(client.post(API, json={"name": "张伟"}).status_code)
    # At 61 s the lookup of 0 s has left the window; at 62 s those of 59 and 61 s are in it;
    # at 121 s only the one of 61 s is.
    assert statuses == [200, 200, 200, 429, 429, 200]


def test_reading_pages_between_lookups_spends_nothing_and_announces_no_limit(
    make_app, site, sqlite_url: str, tmp_path: Path
) -> None:
    client = limited_app(make_app, site, sqlite_url, tmp_path).test_client()
    for url in ("/en/", LOOKUP, "/zh/debtors/", "/api/v1/cases?language=en", "/en/no-such-page/"):
        for _ in range(3):
            response = client.get(url)
            assert response.status_code in (200, 404)
            assert "RateLimit" not in response.headers
    # The client's 2 lookups a minute are still whole.
    submit(client, LOOKUP, {"name": "张伟"})
    assert client.post(API, json={"name": "张伟"}).status_code == 200
    submit(client, LOOKUP, {"name": "张伟"}, status=429)


@pytest.mark.parametrize("headers", CROSS_SITE, ids=lambda h: " ".join(h.values()))
def test_a_lookup_sent_by_another_site_is_refused_without_spending_the_budget(
    make_app, site, sqlite_url: str, tmp_path: Path, headers: dict[str, str]
) -> None:
    client = limited_app(make_app, site, sqlite_url, tmp_path).test_client()
    for lang, heading in (("en", "Sent from another website"), ("zh", "来自其他网站的查询")):
        page = submit(client, f"/{lang}/debtors/", {"name": "张伟"}, status=403,
                      headers=headers)  # fmt: skip
        assert page.text_of("h1") == heading
        assert page.html.select_one(f"main a[href='/{lang}/debtors/']") is not None
        assert page.html.select(".debtor-record") == []  # no lookup was run
        assert page.response.headers["Cache-Control"] == "no-store"
        assert page.response.headers["X-Robots-Tag"] == "noindex"
    api = client.post(API, json={"name": "张伟"}, headers=headers)
    assert (api.status_code, api.mimetype) == (403, "application/problem+json")
    assert "sent from another website" in api.get_json()["detail"]
    assert (api.headers["Cache-Control"], api.headers["X-Robots-Tag"]) == ("no-store", "noindex")
    # None of the refusals spent the client's 2 lookups a minute.
    submit(client, LOOKUP, {"name": "张伟"})
    assert client.post(API, json={"name": "张伟"}).status_code == 200
    submit(client, LOOKUP, {"name": "张伟"}, status=429)


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "same-origin", "Origin": "https://portal.example.test"},  # SITE_URL
        {"Sec-Fetch-Site": "same-origin", "Origin": "http://localhost"},  # the host asked
        {"Sec-Fetch-Site": "none"},  # the user's own action: a bookmark, a typed address
        {},  # not a browser: a script, the API's users
    ],
    ids=["site-url", "request-host", "user-initiated", "no-headers"],
)
def test_a_lookup_from_the_portal_itself_is_answered(lookup_client, headers) -> None:
    page = submit(lookup_client, LOOKUP, {"name": "张伟", "number": NUMBER}, headers=headers)
    assert answer(page).startswith("On the list.")
    api = lookup_client.post(API, json={"name": "张伟"}, headers=headers)
    assert api.status_code == 200
    assert api.get_json()["found"] is True


@pytest.mark.redis
def test_the_rate_limit_is_shared_through_redis(
    make_app, site, sqlite_url: str, tmp_path: Path, redis_server: str
) -> None:
    prefix = f"portal-test-{uuid.uuid4().hex}"
    settings = {"RATELIMIT_STORAGE_URI": redis_server, "RATELIMIT_KEY_PREFIX": prefix}
    first = limited_app(make_app, site, sqlite_url, tmp_path, **settings)
    second = make_app(sqlite_url, load=False, SECRET_KEY=TEST_SECRET,
                      DEBTOR_LOOKUP_LIMITS="2 per minute;50 per day", **settings)  # fmt: skip
    connection = redis.Redis.from_url(redis_server)
    try:
        client = first.test_client()
        submit(client, LOOKUP, {"name": "张伟"})
        submit(client, LOOKUP, {"name": "张伟"})
        assert connection.keys(f"*{prefix}*")  # the counters are in Redis
        # Another worker with the same Redis sees the same budget spent.
        page = submit(second.test_client(), LOOKUP, {"name": "张伟"}, status=429)
        assert int(page.response.headers["Retry-After"]) >= 1
    finally:
        for key in connection.scan_iter(f"*{prefix}*"):
            connection.delete(key)
        connection.close()


HUANGPU_CONTACT = {
    "address": {"en": "1 Example Road, Huangpu", "zh": "黄浦区示例路1号"},
    "telephone": "+86 21 5555 0100",
    "email": "office@court.example",
}


def contact_site(site, contact: dict | None) -> None:
    """The standard site, with the register's court (上海市黄浦区人民法院) in the vocabulary, with
    `contact` if given."""
    huangpu = {"en": "Huangpu District People's Court of Shanghai", "zh": "上海市黄浦区人民法院"}
    site.vocabulary(
        courts={
            "huangpu-district": huangpu | ({"contact": contact} if contact else {}),
            "minhang-district": {"en": "Minhang District Court", "zh": "闵行区人民法院"},
            "shanghai-no1-intermediate": {"en": "No.1 Intermediate Court", "zh": "第一中级"},
        }
    )
    site.standard().standard_cases()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_found_record_shows_its_court_contacts_period_and_the_explanation(
    make_app, site, database_url: str, tmp_path: Path, lang: str
) -> None:
    contact_site(site, HUANGPU_CONTACT)
    app = make_app(database_url, SECRET_KEY=TEST_SECRET, RATELIMIT_ENABLED=False)
    load(app, tmp_path, [person("R1", listed_until="2027-05-10"), organisation("O1")])
    client = app.test_client()
    page = submit(client, f"/{lang}/debtors/", {"name": "张伟", "number": NUMBER})
    record = page.html.select_one(".debtor-record")
    period = " ".join(record.select_one(".debtor-record__period").get_text().split())
    contact = record.select_one(".debtor-record__contact").get_text(" ", strip=True)
    if lang == "en":
        assert period == "Listed on March 1, 2024, until May 10, 2027"
        assert page.html.title.get_text().startswith("On the list – Debtor lookup")
        assert "1 Example Road, Huangpu" in contact
        assert "as published by the courts whose records this portal imports" in answer(page)
    else:
        assert period == "列入日期：2024年3月1日，至2027年5月10日"
        assert page.html.title.get_text().startswith("在名单上 – 失信被执行人查询")
        assert "黄浦区示例路1号" in contact
    assert record.select_one("a[href='tel:+862155550100']").get_text() == "+86 21 5555 0100"
    assert record.select_one("a[href='mailto:office@court.example']") is not None
    heading = page.html.select_one("#debtor-result-heading")
    assert heading.has_attr("autofocus")
    assert heading["tabindex"] == "-1"
    explanation = page.text_of("#debtor-explanation")
    provisions = {"en": ("Fa Shi [2013] No. 17", "Fa Shi [2017] No. 7", "Article 10",
                         "within three working days", "within fifteen days"),
                  "zh": ("法释〔2013〕17号", "法释〔2017〕7号", "第十条", "三个工作日内",
                         "十五日内")}[lang]  # fmt: skip
    for words in provisions:
        assert words in explanation


def test_no_contact_is_shown_when_the_court_publishes_none(
    make_app, site, sqlite_url, tmp_path: Path
) -> None:
    contact_site(site, None)
    app = make_app(sqlite_url, SECRET_KEY=TEST_SECRET, RATELIMIT_ENABLED=False)
    load(app, tmp_path, [person("R1")])
    page = submit(app.test_client(), LOOKUP, {"name": "张伟"})
    record = page.html.select_one(".debtor-record")
    assert record.select_one(".debtor-record__contact") is None
    assert " ".join(record.select_one(".debtor-record__period").get_text().split()) == (
        "Listed on March 1, 2024, until removed"
    )
    assert page.html.select(".court-contact") == []


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_answer_says_which_list_and_as_of_when(lookup_client, lang: str) -> None:
    absent = submit(lookup_client, f"/{lang}/debtors/", {"name": "李四"})
    heading = absent.text_of("#debtor-result-heading")
    scope = {"en": "the list of dishonest persons subject to enforcement as published by the "
                   "courts whose records this portal imports",
             "zh": "本门户所导入法院公布的失信被执行人名单"}[lang]  # fmt: skip
    assert scope in answer(absent)
    assert {"en": "This answer is as of", "zh": "以上结果截至"}[lang] in answer(absent)
    assert heading == {"en": "Not on the list", "zh": "不在名单上"}[lang]
    assert absent.html.title.get_text().startswith(heading)
    # The explanation is on the page in its language, whatever the answer.
    assert absent.html.select_one("#debtor-explanation h3") is not None


def test_the_demonstration_list_is_called_fictional_in_the_answer(
    make_app, site, sqlite_url, tmp_path: Path
) -> None:
    site.standard()
    app = make_app(sqlite_url, SECRET_KEY=TEST_SECRET, RATELIMIT_ENABLED=False)
    load(app, tmp_path, [person("DEMO-1", name="示例张伟")], demo=True)
    page = submit(app.test_client(), LOOKUP, {"name": "李四"})
    assert "only the fictional demonstration list" in answer(page)
    body = app.test_client().post(API, json={"name": "李四"}).get_json()
    assert "fictional demonstration list" in body["list"]["en"]


def test_the_api_gives_the_list_the_period_and_the_court_contact(
    make_app, site, database_url: str, tmp_path: Path
) -> None:
    contact_site(site, HUANGPU_CONTACT)
    app = make_app(database_url, SECRET_KEY=TEST_SECRET, RATELIMIT_ENABLED=False)
    load(app, tmp_path, [person("R1", listed_until="2027-05-10"),
                         person("R2", id_number=resident_id(sequence="456"),
                                court="上海市徐汇区人民法院")])  # fmt: skip
    body = app.test_client().post(API, json={"name": "张伟"}).get_json()
    assert "courts whose records this portal imports" in body["list"]["en"]
    assert "失信被执行人名单" in body["list"]["zh"]
    by_court = {record["court"]: record for record in body["records"]}
    huangpu = by_court["上海市黄浦区人民法院"]
    assert huangpu["listed_until"] == "2027-05-10"
    assert huangpu["court_contact"]["en"] == {
        "court": "Huangpu District People's Court of Shanghai",
        "address": "1 Example Road, Huangpu",
        "telephone": "+86 21 5555 0100",
        "email": "office@court.example",
    }
    assert huangpu["court_contact"]["zh"]["address"] == "黄浦区示例路1号"
    other = by_court["上海市徐汇区人民法院"]  # not in the vocabulary
    assert (other["listed_until"], other["court_contact"]) == (None, None)
