"""The victims' status check on the web and the API: an answer for each status with payments and
a failed one, in both languages; one indistinguishable answer for anything that does not match;
form errors; POST only; private headers; the shared rate limit and guards; clean logs."""

from __future__ import annotations

import json
import logging
import re
import threading
import urllib.parse

import pytest
from flask import Flask
from werkzeug.serving import make_server

from portal.registers.identity import IdentityKeys
from portal.text.names import name_key
from portal.web.blueprints.victim_status import parse_status_query
from portal.web.db import session_factory
from tests.support.debtorfiles import TEST_SECRET, resident_id
from tests.support.lookups import CROSS_SITE, logged_text, post
from tests.support.pagecheck import fetch, submit
from tests.support.victimfiles import (
    CASE_KEY,
    add_victims,
    confirmed_victim,
    organisation_victim,
    victim,
)

KEYS = IdentityKeys.from_secret(TEST_SECRET)
STATUS = "/en/victims/status/"
API = "/api/v1/victims/status"
# Names of the same length, so that a wrong name's answer is byte for byte the right name's.
NAME, OTHER_NAME = "王芳", "李娜"
NUMBER = victim()["id_number"]
OTHER_NUMBER = resident_id("310104", "19700315", "255")
MASKED = NUMBER[:6] + "*" * 12
BAD_NUMBER = NUMBER[:17] + ("1" if NUMBER.endswith("0") else "0")  # its check character wrong


def status_rows() -> list[dict]:
    """One victim in each status, each with their own number; V1 confirmed, paid in batch 1,
    its batch 2 payment failed."""
    return [
        confirmed_victim("V1", name=NAME),
        victim("V2", name="张伟", status="registered", id_number=resident_id(sequence="112")),
        victim("V3", name="张伟", status="under_check", id_number=resident_id(sequence="121")),
        victim("V4", name="张伟", status="disputed", id_number=resident_id(sequence="139")),
        victim("V5", name="张伟", status="rejected", id_number=resident_id(sequence="147")),
        organisation_victim("O1", status="confirmed", confirmed_amount="5000.00"),
    ]


def status_site(site) -> None:
    site.standard()
    for lang in ("en", "zh"):
        site.victim_notice(key=CASE_KEY, lang=lang)
        site.victim_notice(key="other-case", lang=lang, title=f"Other case ({lang})")


@pytest.fixture
def status_app(make_app, site, database_url: str) -> Flask:
    status_site(site)
    app = make_app(database_url, SECRET_KEY=TEST_SECRET, RATELIMIT_ENABLED=False)
    with session_factory(app)() as session:
        add_victims(session, KEYS, status_rows())
    return app


@pytest.fixture
def client(status_app: Flask):
    return status_app.test_client()


def form(name: str = NAME, number: str = NUMBER, case: str = CASE_KEY) -> dict[str, str]:
    return {"name": name, "number": number, "case": case}


def answer_text(page) -> str:
    return " ".join(page.text_of(".victim-status").split())


def test_the_form_offers_the_published_cases_and_posts_privately(client) -> None:
    page = fetch(client, STATUS)
    form_element = page.html.select_one("form.victim-status-form")
    assert (form_element["method"], form_element["action"]) == ("post", STATUS)
    cases = [option["value"] for option in page.html.select("#victim-case option")]
    assert cases == ["", CASE_KEY, "other-case"] or cases == ["", "other-case", CASE_KEY]
    assert page.html.select_one("#victim-number")["autocomplete"] == "off"
    assert page.html.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert page.response.headers["Cache-Control"] == "no-store"
    assert page.response.headers["X-Robots-Tag"] == "noindex"
    assert "neither registers victims nor pays them" in page.text_of(".victim-status__scope")
    assert page.html.select(".victim-status") == []


def test_a_get_with_the_details_in_its_query_never_answers(client) -> None:
    query = urllib.parse.urlencode(form())
    page = fetch(client, f"{STATUS}?{query}")
    assert page.html.select(".victim-status") == []
    assert NAME not in page.response.get_data(as_text=True)
    assert client.get(f"{API}?{query}").status_code == 405


def test_a_confirmed_victim_sees_amounts_payments_and_the_failed_one(client) -> None:
    page = submit(client, STATUS, form(number=NUMBER.lower()))
    html = page.response.get_data(as_text=True)
    assert (page.response.headers["Cache-Control"], page.response.headers["X-Robots-Tag"]) == (
        "no-store",
        "noindex",
    )
    assert page.text_of("h2#victim-status-heading") == "Confirmed"
    assert page.html.title.get_text().startswith("Confirmed – ")
    text = answer_text(page)
    assert "The court has confirmed your claim" in text
    assert "A payment to you failed." in text  # what to do next: fix the account
    assert page.text_of(".victim-status__number") == MASKED
    assert "150,000.00 yuan" in text
    assert "120,000.00 yuan" in text
    rows = [" ".join(row.get_text(" ", strip=True).split())
            for row in page.html.select(".victim-status__payments tbody tr")]  # fmt: skip
    assert rows[0].startswith("Batch 1")
    assert rows[0].endswith("22,115.00 yuan Paid")
    assert rows[1].startswith("Batch 2")
    assert "3,000.00 yuan" in rows[1]
    assert "Failed: the bank account is closed." in rows[1]
    assert rows[1].endswith("Failed: the bank account is closed.")  # what to do is said above
    notice_link = page.html.select_one(f".victim-status a[href='/en/victims/{CASE_KEY}/']")
    assert notice_link is not None
    assert NUMBER not in html
    assert NUMBER[:17] not in html
    assert page.html.select_one("#victim-number").get("value") is None  # never echoed back
    assert page.html.select_one("#victim-name")["value"] == NAME


@pytest.mark.parametrize(
    ("sequence", "heading", "meaning", "next_step"),
    [
        ("112", "Registered", "has received your registration", "Keep your materials"),
        ("121", "Under check", "is checking your registration", "Answer any request"),
        ("139", "Disputed", "does not agree with your claim", "object through the court's"),
        ("147", "Not accepted", "does not meet the conditions", "If you believe this is wrong"),
    ],
)
def test_each_status_says_what_it_means_and_what_to_do(
    client, sequence: str, heading: str, meaning: str, next_step: str
) -> None:
    page = submit(client, STATUS, form(name="张伟", number=resident_id(sequence=sequence)))
    assert page.text_of("h2#victim-status-heading") == heading
    assert meaning in answer_text(page)
    assert next_step in answer_text(page)
    assert page.html.select(".victim-status__payments") == []


@pytest.mark.parametrize(
    ("sequence", "heading", "meaning", "next_step"),
    [
        ("112", "已登记", "法院已收到您的登记，尚未开始核对。",
         "目前无需办理任何事项。请妥善保管材料；如有缺漏，法院渠道会通知您。"),
        ("121", "核对中", "法院正在核对您的登记及申报金额。",
         "如法院要求补充材料，请通过公告所列法院渠道答复。"),
        ("139", "有争议", "法院核对结果与您的申报不一致：金额或债权本身存在疑问。",
         "如您不同意，请在公告规定的期限内通过公告所列法院渠道提出异议，并提交相关证据。"),
        ("147", "不予确认", "法院认定您的登记不符合该案公告规定的条件（例如没有净损失）。",
         "如您认为有误，请联系公告所列法院渠道。"),
    ],
)  # fmt: skip
def test_each_status_is_answered_in_chinese(
    client, sequence: str, heading: str, meaning: str, next_step: str
) -> None:
    page = submit(
        client, "/zh/victims/status/", form(name="张伟", number=resident_id(sequence=sequence))
    )
    assert page.text_of("h2#victim-status-heading") == heading
    assert page.html.title.get_text().startswith(f"{heading} – ")
    text = answer_text(page)
    # The status's sentence ends with a Chinese full stop, not an English one.
    assert f"{heading}。 {meaning}" in text
    assert f"下一步： {next_step}" in text
    assert "申报金额 150,000.00 元" in text
    assert "核定金额 尚未核定" in text
    assert not re.search(r"[A-Za-z]{3,}", text.replace("ID", ""))  # nothing left in English
    assert page.html.select(".victim-status__payments") == []


def test_a_confirmed_victim_with_a_failed_payment_is_answered_in_chinese(client) -> None:
    page = submit(client, "/zh/victims/status/", form())
    assert page.text_of("h2#victim-status-heading") == "已核定"
    text = answer_text(page)
    assert "已核定。 法院已按下列金额核定您的债权。" in text
    assert (
        "下一步： 向您的支付未成功。请通过公告所列法院渠道提供一个本人名下可正常入账的账户，"
        "款项将重新支付。"
    ) in text
    assert "核定金额 120,000.00 元" in text
    rows = [" ".join(row.get_text(" ", strip=True).split())
            for row in page.html.select(".victim-status__payments tbody tr")]  # fmt: skip
    assert rows == [
        "第1批 2026年6月15日 22,115.00 元 已支付",
        "第2批 2026年9月30日 3,000.00 元 支付失败：银行账户已销户。",
    ]
    assert not re.search(r"[A-Za-z]{3,}", text)
    assert page.html.select_one(f".victim-status a[href='/zh/victims/{CASE_KEY}/']") is not None


def test_an_organisation_sees_its_full_code(client) -> None:
    row = organisation_victim()
    page = submit(client, STATUS, form(name=row["name"], number=row["id_number"]))
    assert page.text_of(".victim-status__number") == row["id_number"]


def normalised(response, typed_name: str) -> str:
    """A response's status, headers and body, with the typed name (echoed into the form) and
    the chosen case (selected in the list) replaced by placeholders."""
    body = response.get_data(as_text=True).replace(typed_name, "NAME")
    body = re.sub(r" selected(?=>)", "", body)
    headers = sorted((k, v) for k, v in response.headers.items() if k != "Content-Length")
    return f"{response.status_code}\n{headers}\n{body}"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_anything_that_does_not_match_gets_one_answer_that_reveals_nothing(
    client, lang: str
) -> None:
    url = f"/{lang}/victims/status/"
    tries = {
        "wrong name": form(name=OTHER_NAME),
        "wrong number": form(number=OTHER_NUMBER),
        "registered in another case": form(case="other-case"),
        "unknown case": form(case="no-such-case"),
        "another victim's number": form(number=resident_id(sequence="112")),
    }
    answers = {}
    for what, data in tries.items():
        response = client.post(url, data=data)
        assert response.status_code == 200, what
        answers[what] = normalised(response, data["name"])
    assert len(set(answers.values())) == 1, "the answers differ"
    page = submit(client, url, tries["wrong name"])
    assert page.html.select(".victim-status__payments, .victim-status__number") == []
    assert page.response.headers["Cache-Control"] == "no-store"
    api = [client.post(API, json={"name": d["name"], "id_number": d["number"],
                                  "case_key": d["case"]}) for d in tries.values()]  # fmt: skip
    assert {(r.status_code, r.get_data(as_text=True)) for r in api} == {
        (200, api[0].get_data(as_text=True))
    }
    assert api[0].get_json()["found"] is False
    assert api[0].get_json()["registration"] is None


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (form(name=""), "name", "Enter the name"),
        (form(number=""), "number", "Enter the ID number you registered with."),
        (form(number=BAD_NUMBER), "number", "neither a valid resident ID number"),
        (form(case=""), "case", "Choose the case you registered in."),
    ],
    ids=["no-name", "no-number", "bad-check-character", "no-case"],
)
def test_invalid_input_is_named_next_to_its_field_keeping_what_was_typed(
    client, data: dict, field: str, message: str
) -> None:
    page = submit(client, STATUS, data, status=422)
    assert page.html.title.get_text().startswith("Check the form – ")
    assert message in page.text_of(f"#victim-{field}-error")
    assert page.html.select_one(f"#victim-{field}")["aria-invalid"] == "true"
    assert page.html.select(".victim-status") == []
    if field != "name":
        assert page.html.select_one("#victim-name")["value"] == data["name"]
    if field == "number" and data["number"]:
        assert page.html.select_one("#victim-number")["value"] == data["number"]
    if field != "case":
        assert page.html.select_one("#victim-case option[selected]")["value"] == data["case"]


def test_the_api_answers_a_match_with_the_status_and_payments(client) -> None:
    response = client.post(API, json={"name": NAME, "id_number": NUMBER, "case_key": CASE_KEY})
    assert response.status_code == 200
    assert (response.headers["Cache-Control"], response.headers["X-Robots-Tag"]) == (
        "no-store",
        "noindex",
    )
    body = response.get_json()
    assert body["found"] is True
    assert body["message"] is None
    registration = body["registration"]
    assert registration["status"] == "confirmed"
    assert registration["status_text"] == {"en": "Confirmed", "zh": "已核定"}
    assert registration["next_step"] == "fix_account"
    assert registration["identifier"] == {"value": MASKED, "masked": True}
    assert (registration["claimed_amount"], registration["confirmed_amount"]) == (
        "150000.00",
        "120000.00",
    )
    assert [
        (p["batch"], p["amount"], p["paid"], p["failure"]) for p in registration["payments"]
    ] == [
        (1, "22115.00", True, None),
        (2, "3000.00", False, "account_closed"),
    ]
    assert registration["case_url"]["en"] == f"https://portal.example.test/en/victims/{CASE_KEY}/"
    assert NUMBER not in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("body", "status", "detail"),
    [
        ("not json", 400, "Send a JSON object"),
        ("1e3", 400, "Send a JSON object"),
        ('["x"]', 400, "Send a JSON object"),
        ({"name": NAME, "id_number": NUMBER}, 400, "Send a JSON object"),
        ({"name": NAME, "id_number": 3, "case_key": CASE_KEY}, 400, "Send a JSON object"),
        ({"name": "", "id_number": NUMBER, "case_key": CASE_KEY}, 422, "cannot be run"),
        ({"name": NAME, "id_number": "12345", "case_key": CASE_KEY}, 422, "cannot be run"),
    ],
)
def test_api_errors_are_problem_details(client, body, status: int, detail: str) -> None:
    if isinstance(body, str):
        response = client.post(API, data=body, content_type="application/json")
    else:
        response = client.post(API, json=body)
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    assert detail in response.get_json()["detail"]
    assert response.headers["Cache-Control"] == "no-store"


def test_the_api_names_the_field_of_an_invalid_input(client) -> None:
    response = client.post(API, json={"name": NAME, "id_number": "", "case_key": ""})
    errors = {error["field"]: error["code"] for error in response.get_json()["errors"]}
    assert errors == {"id_number": "number_required", "case_key": "case_required"}


# -- Logs, rate limit, guards -------------------------------------------------------------------


def test_no_log_line_holds_a_name_or_number_checked(
    status_app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    server = make_server("127.0.0.1", 0, status_app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        statuses = [
            post(base + STATUS, urllib.parse.urlencode(data).encode(), {})
            for data in (form(), form(name=OTHER_NAME), form(number=NUMBER[:17]))
        ]
        body = json.dumps({"name": NAME, "id_number": NUMBER, "case_key": CASE_KEY}).encode()
        statuses.append(post(base + API, body, {"Content-Type": "application/json"}))
        assert statuses == [200, 200, 422, 200]
    finally:
        server.shutdown()
        thread.join()
    logged = logged_text(caplog.records)
    assert "POST /en/victims/status/" in logged  # the access log was captured
    for secret in (NAME, OTHER_NAME, name_key(NAME), NUMBER, NUMBER[:17], MASKED,
                   KEYS.number_hash(NUMBER)):  # fmt: skip
        assert secret not in logged


@pytest.fixture
def limited_client(make_app, site, sqlite_url: str):
    status_site(site)
    app = make_app(sqlite_url, SECRET_KEY=TEST_SECRET, DEBTOR_LOOKUP_LIMITS="2 per minute")
    with session_factory(app)() as session:
        add_victims(session, KEYS, status_rows())
    return app.test_client()


def test_checks_share_the_debtor_lookups_rate_limit(limited_client) -> None:
    fetch(limited_client, STATUS)  # the empty form costs nothing
    first = submit(limited_client, STATUS, form()).response
    assert first.headers["RateLimit-Policy"] == '"minute";q=2;w=60'
    assert limited_client.post("/api/v1/debtors/lookup", json={"name": "张伟"}).status_code == 200
    page = submit(limited_client, STATUS, form(), status=429)
    assert page.text_of("h1") == "Too many lookups"
    assert "guessing their details" in page.text_of(".lead")
    assert (page.response.headers["Cache-Control"], page.response.headers["X-Robots-Tag"]) == (
        "no-store",
        "noindex",
    )
    assert 1 <= int(page.response.headers["Retry-After"]) <= 61
    api = limited_client.post(API, json={"name": NAME, "id_number": NUMBER, "case_key": CASE_KEY})
    assert (api.status_code, api.mimetype) == (429, "application/problem+json")
    assert api.headers["Cache-Control"] == "no-store"
    assert submit(limited_client, "/zh/victims/status/", form(), status=429).text_of("h1") == (
        "查询过于频繁"
    )


@pytest.mark.parametrize("headers", CROSS_SITE, ids=lambda h: " ".join(h.values()))
def test_a_check_sent_by_another_site_is_refused_without_spending_the_budget(
    limited_client, headers: dict[str, str]
) -> None:
    for lang in ("en", "zh"):
        page = submit(limited_client, f"/{lang}/victims/status/", form(), status=403,
                      headers=headers)  # fmt: skip
        assert page.html.select_one(f"main a[href='/{lang}/victims/status/']") is not None
        assert page.html.select(".victim-status") == []
        assert page.response.headers["Cache-Control"] == "no-store"
    api = limited_client.post(API, json={"name": NAME, "id_number": NUMBER,
                                         "case_key": CASE_KEY}, headers=headers)  # fmt: skip
    assert (api.status_code, api.headers["Cache-Control"]) == (403, "no-store")
    submit(limited_client, STATUS, form())
    submit(limited_client, STATUS, form())
    submit(limited_client, STATUS, form(), status=429)


def test_a_parsed_check_never_shows_the_name_or_number_in_its_repr() -> None:
    query = parse_status_query(NAME, NUMBER, f" {CASE_KEY} ")
    assert query.case_key == CASE_KEY
    assert NAME not in repr(query)
    assert NUMBER not in repr(query)
