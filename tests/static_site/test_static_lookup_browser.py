"""The static debtor check in a real browser: the frozen lookup page, static-lookup.js and shards
written by `write_shards`, served from a temporary folder under the portal's CSP, driven in
headless Chromium. Skipped locally without Chromium or Playwright; a failure under CI=true."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from portal.debtors.identity import IdentityKeys
from portal.debtors.importer import import_debtors
from portal.debtors.static_lookup import (
    StaticLookupParams,
    derive,
    static_number_key,
    write_shards,
)
from portal.text.names import name_key, name_rule
from portal.web.db import session_factory
from portal.web.security import CONTENT_SECURITY_POLICY
from tests.support.browser import check_static_lookup
from tests.support.debtorfiles import (
    TEST_SECRET,
    TODAY,
    organisation,
    person,
    resident_id,
    write_csv,
)
from tests.support.hard_names import HARD_NAMES
from tests.support.site import serve_folder

FAST = StaticLookupParams(salt="browser test court", iterations=1000)
NUMBER = resident_id()
GONE_NUMBER = resident_id(sequence="789")
# A plain HTTP server on the loopback address: no HTTPS to upgrade to.
TEST_CSP = CONTENT_SECURITY_POLICY.replace("; upgrade-insecure-requests", "")


@pytest.fixture
def frozen_site(make_app, site, sqlite_url: str, tmp_path: Path) -> Iterator[str]:
    """A frozen copy's debtor page, its script and the shards, served on 127.0.0.1."""
    site.standard()
    app = make_app(
        sqlite_url,
        SECRET_KEY=TEST_SECRET,
        FREEZING=True,
        STATIC_LOOKUP_SALT=FAST.salt,
        STATIC_LOOKUP_ITERATIONS=FAST.iterations,
    )
    rows = [
        person("R1"),
        person("GONE", name="王芳", id_number=GONE_NUMBER, removed_on="2024-05-01",
               removal_reason="paid"),
        organisation("O1"),
    ]  # fmt: skip
    factory = session_factory(app)
    keys = IdentityKeys.from_secret(TEST_SECRET)
    import_debtors(factory, write_csv(tmp_path / "list.csv", rows), keys, static=FAST)
    root = tmp_path / "frozen"
    with app.app_context(), factory() as session:
        write_shards(session, root, TODAY, FAST)
    for lang in ("en", "zh"):
        page = app.test_client().get(f"/{lang}/debtors/")
        assert page.status_code == 200
        (root / lang / "debtors").mkdir(parents=True)
        (root / lang / "debtors" / "index.html").write_bytes(page.data)
    shutil.copytree(Path(app.static_folder), root / "static")
    base_url, server = serve_folder(root, headers={"Content-Security-Policy": TEST_CSP})
    try:
        yield base_url
    finally:
        server.shutdown()
        server.server_close()


def test_the_browser_finds_listed_records_and_only_them(page, frozen_site: str) -> None:
    problems: list[str] = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"{frozen_site}/en/debtors/")
    assert page.is_hidden("[data-static-needs-js]")
    assert page.is_visible("form[data-static-lookup]")

    answer = check_static_lookup(page, "张伟", NUMBER)
    assert answer.startswith("On the list. 1 listed record matches this name and number.")
    record = page.locator(".debtor-record")
    assert record.locator("h3").text_content() == "张伟"
    assert NUMBER[:6] + "********" + NUMBER[-4:] in record.text_content()
    assert "Able to perform the obligations but refuses to" in record.text_content()
    assert page.input_value("#debtor-number") == ""  # the number is not kept

    # The traditional, full-width and spaced variants of the name find the same record.
    for variant in ("張偉", "张 伟", "张\u3000伟", "張\u200b偉"):
        assert check_static_lookup(page, variant, NUMBER).startswith("On the list."), variant
    full_width_number = NUMBER.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})
    assert check_static_lookup(page, "张伟", full_width_number).startswith("On the list.")
    company = organisation()
    assert check_static_lookup(page, "上海某某貿易有限公司", company["id_number"]).startswith(
        "On the list."
    )

    assert check_static_lookup(page, "王芳", GONE_NUMBER).startswith(
        "Not on the list. No listed record matches this name and number."
    )
    assert page.locator(".debtor-record").count() == 0
    assert check_static_lookup(page, "张伟", GONE_NUMBER).startswith("Not on the list.")
    assert problems == []
    assert page.csp_errors == []  # the check runs under the portal's own policy


def test_the_page_asks_for_both_fields_in_chinese(page, frozen_site: str) -> None:
    page.goto(f"{frozen_site}/zh/debtors/")
    page.fill("#debtor-name", "张伟")
    page.click("button[type=submit]")
    assert page.is_visible("#debtor-number-error")
    assert page.get_attribute("#debtor-number", "aria-invalid") == "true"
    assert check_static_lookup(page, "张伟", NUMBER).startswith(
        "在名单上。 名单上有 1 条记录与该姓名（名称）和号码相符。"
    )


NAMES = [
    "张伟",
    "張偉",
    "张 伟",
    "张\u3000伟",
    "张\u200b伟\u00a0",
    " 張\t偉\n",
    "ＺＨＡＮＧ Ｗｅｉ",
    "Zhang WEI",
    "上海某某貿易有限公司",
    "Ｏ’Brien-Lee",
    "ÉLODIE Dürr",
    "ΣΟΦΟΣ",
    "İstanbul",
    "歐陽 鍾麗華",
    "鄭國強（香港）有限公司",
    "示例王伟",
    *HARD_NAMES,  # Chromium, too, keys every hard name as Python does
]
NUMBERS = ["31010119800101123x", "３１０１０１１９８００１０１１２３Ｘ", "310101-19800101 123X",
           "91310115ma1fl3xy0q"]  # fmt: skip


def test_the_browser_normalises_and_derives_exactly_as_python(page, frozen_site) -> None:
    page.goto(f"{frozen_site}/en/debtors/")
    table = json.loads(name_rule().to_json())
    in_browser = page.evaluate(
        "([names, numbers, table]) => [names.map((n) => StaticLookup.nameKey(n, table)),"
        " numbers.map((n) => StaticLookup.numberKey(n))]",
        [NAMES, NUMBERS, table],
    )
    assert in_browser == [
        [name_key(name) for name in NAMES],
        [static_number_key(number) for number in NUMBERS],
    ]
    params = StaticLookupParams(salt="s", iterations=1000)
    derived = page.evaluate(
        """async ([name, number, manifest, table]) => {
            const {tag, key} = await StaticLookup.derive(name, number, manifest, table);
            return [tag, Array.from(new Uint8Array(key), (b) => b.toString(16).padStart(2, "0"))
                .join("")];
        }""",
        ["張 偉", "310101-19800101-123x", {"salt": "s", "iterations": 1000}, table],
    )
    expected = derive("张伟", "31010119800101123X", params)
    assert derived == [expected.tag, expected.key.hex()]
