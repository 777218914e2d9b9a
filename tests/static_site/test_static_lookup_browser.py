"""The static debtor check in a real browser: the frozen lookup page, static-lookup.js and shards
written by `write_shards`, served from a temporary folder under the portal's CSP, driven in
headless Chromium. Skipped locally without Chromium or Playwright; a failure under CI=true."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from portal.debtors.importer import import_debtors
from portal.debtors.static_lookup import StaticLookupParams, derive, write_shards
from portal.registers.identity import IdentityKeys
from portal.text.names import name_key, name_rule
from portal.web.db import session_factory
from portal.web.security import CONTENT_SECURITY_POLICY
from tests.support.browser import check_static_lookup, serious_violations
from tests.support.debtorfiles import (
    TEST_SECRET,
    TODAY,
    organisation,
    person,
    resident_id,
    write_csv,
)
from tests.support.hard_names import HARD_NAMES
from tests.support.site import require_module, serve_folder

FAST = StaticLookupParams(salt="browser test court", iterations=1000)
NUMBER = resident_id()
SAME_MASK = resident_id(birth="19750612", sequence="555")  # another valid number, same mask
GONE_NUMBER = resident_id(sequence="789")
# A plain HTTP server on the loopback address: no HTTPS to upgrade to.
TEST_CSP = CONTENT_SECURITY_POLICY.replace("; upgrade-insecure-requests", "")


@pytest.fixture
def frozen_site(make_app, site, sqlite_url: str, tmp_path: Path) -> Iterator[str]:
    """A frozen copy's debtor page, its script and the shards, served on 127.0.0.1; the
    register's court (上海市黄浦区人民法院) publishes a telephone number in the vocabulary."""
    site.vocabulary(courts={
        "huangpu-district": {"en": "Huangpu District Court", "zh": "上海市黄浦区人民法院",
                             "contact": {"telephone": "+86 21 5555 0100"}},
        "minhang-district": {"en": "Minhang District Court", "zh": "闵行区人民法院"},
        "shanghai-no1-intermediate": {"en": "No.1 Intermediate Court", "zh": "第一中级"},
    })  # fmt: skip
    site.standard().standard_cases()
    app = make_app(
        sqlite_url,
        SECRET_KEY=TEST_SECRET,
        STATIC_SITE=True,
        STATIC_LOOKUP_SALT=FAST.salt,
        STATIC_LOOKUP_ITERATIONS=FAST.iterations,
    )
    rows = [
        person("R1", listed_until="2027-05-10"),
        person("NAMESAKE", court="上海市徐汇区人民法院",
               id_number=resident_id(region="440305", sequence="777"),
               published_on="2024-05-01", case_number="（2024）沪0101执9号"),
        person("GONE", name="王芳", id_number=GONE_NUMBER, removed_on="2024-05-01",
               removal_reason="paid"),
        organisation("O1"),
    ]  # fmt: skip
    factory = session_factory(app)
    keys = IdentityKeys.from_secret(TEST_SECRET)
    import_debtors(factory, write_csv(tmp_path / "list.csv", rows), keys)
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


def records_shown(page) -> list[str]:
    return [" ".join(text.split()) for text in page.locator(".debtor-record").all_text_contents()]


def test_the_browser_gives_the_name_only_answer_whatever_number_is_typed(
    page, frozen_site: str
) -> None:
    problems: list[str] = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"{frozen_site}/en/debtors/")
    assert page.is_hidden("[data-static-needs-js]")
    assert page.is_visible("form[data-static-lookup]")

    answer = check_static_lookup(page, "张伟", NUMBER)
    assert answer.startswith("On the list. 2 listed records have this name. Compare the masked")
    with_number = records_shown(page)
    assert page.is_visible(".debtor-answer__number")  # the number can be confirmed only live
    assert "Confirm the full number on the live lookup." in page.text_content(
        "[data-static-status]"
    )
    assert page.input_value("#debtor-number") == ""  # the number is not kept
    assert [text.count("440305************") for text in with_number] == [1, 0]  # newest first
    assert "310101************" in with_number[1]
    assert NUMBER[6:] not in page.content()
    assert "Able to perform the obligations but refuses to" in with_number[0]

    # Another valid number behind the same mask, and no number: the very same answer.
    assert check_static_lookup(page, "张伟", SAME_MASK) == answer
    assert records_shown(page) == with_number
    assert check_static_lookup(page, "张伟", "") == answer
    assert records_shown(page) == with_number
    assert page.locator(".debtor-answer__number").count() == 0  # no number, no note

    # The traditional, full-width and spaced variants of the name find the same records.
    for variant in ("張偉", "张 伟", "张\u3000伟", "張\u200b偉"):
        assert check_static_lookup(page, variant, "") == answer, variant
    company = organisation()
    assert check_static_lookup(page, "上海某某貿易有限公司", "").startswith("On the list. 1 listed")
    assert company["id_number"] in records_shown(page)[0]  # a public code, in full

    assert check_static_lookup(page, "王芳", GONE_NUMBER).startswith(
        "Not on the list. No listed record has this name."
    )
    assert page.locator(".debtor-record").count() == 0
    assert problems == []
    assert page.csp_errors == []  # the check runs under the portal's own policy


def test_the_page_needs_a_name_checks_a_number_s_shape_in_chinese(page, frozen_site) -> None:
    page.goto(f"{frozen_site}/zh/debtors/")
    page.fill("#debtor-name", "张伟")
    page.fill("#debtor-number", "12345")
    page.click("button[type=submit]")
    assert page.is_visible("#debtor-number-error")
    assert page.get_attribute("#debtor-number", "aria-invalid") == "true"
    page.fill("#debtor-name", "")
    page.fill("#debtor-number", "")
    page.click("button[type=submit]")
    assert page.is_visible("#debtor-name-error")
    assert check_static_lookup(page, "张伟", NUMBER).startswith(
        "在名单上。 名单上有 2 条记录与该姓名（名称）相同。"
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
        ["31010119800101123X", "31010119800101123X", "31010119800101123X", "91310115MA1FL3XY0Q"],
    ]
    derived = page.evaluate(
        """async ([name, manifest, table]) => {
            const {key, tag} = await StaticLookup.derive(name, manifest, table);
            const hex = Array.from(new Uint8Array(key), (b) => b.toString(16).padStart(2, "0"));
            return [hex.join(""), await tag(0), await tag(1)];
        }""",
        ["張 偉", {"salt": "s", "iterations": 1000}, table],
    )
    expected = derive(name_key("張 偉"), StaticLookupParams(salt="s", iterations=1000))
    assert derived == [expected.key.hex(), expected.tag(0), expected.tag(1)]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_frozen_check_explains_itself_as_the_live_page_does(
    page, frozen_site: str, make_app, sqlite_url: str, lang: str
) -> None:
    axe = require_module("axe_playwright_python.sync_playwright").Axe()
    live = make_app(sqlite_url, SECRET_KEY=TEST_SECRET).test_client().get(f"/{lang}/debtors/")
    live_text = BeautifulSoup(live.data, "html.parser").select_one("#debtor-explanation")
    page.goto(f"{frozen_site}/{lang}/debtors/")
    frozen_text = page.inner_text("#debtor-explanation")
    assert " ".join(frozen_text.split()) == " ".join(live_text.get_text(" ", strip=True).split())

    answer = check_static_lookup(page, "张伟", "")
    scope = {"en": "as published by the courts whose records this portal imports",
             "zh": "本门户所导入法院公布的失信被执行人名单"}[lang]  # fmt: skip
    assert scope in answer
    newest, older = page.locator(".debtor-record").all()
    # The namesake's court (徐汇) is not in the vocabulary: no contact; R1's court has one.
    assert newest.locator(".court-contact").count() == 0
    assert older.locator("a[href='tel:+862155550100']").inner_text() == "+86 21 5555 0100"
    periods = [" ".join(record.inner_text().split()) for record in (newest, older)]
    if lang == "en":
        assert "Listed on May 1, 2024, until removed" in periods[0]
        assert "Listed on March 1, 2024, until May 10, 2027" in periods[1]
    else:
        assert "列入日期：2024年5月1日，至删除之日" in periods[0]
        assert "列入日期：2024年3月1日，至2027年5月10日" in periods[1]
    problems = serious_violations(axe.run(page).response)
    assert not problems, "\n".join(problems)
