"""The frozen copy in a real browser: the search page finds cases by English and Chinese words
with Pagefind's index, and the debtor check finds a listed record by name and number, and not a
removed one, all served by a plain static file server from the output of `portal freeze`."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from portal.debtors.importer import import_debtors
from portal.debtors.static_lookup import StaticLookupParams
from portal.registers.identity import IdentityKeys
from portal.static_site.freeze import freeze
from portal.web.db import database_engine, session_factory
from tests.support.browser import check_static_lookup
from tests.support.debtorfiles import TEST_SECRET, person, resident_id, write_csv
from tests.support.site import SiteBuilder, serve_folder

FAST = StaticLookupParams(salt="frozen browser test", iterations=1000)
GONE_NUMBER = resident_id(sequence="789")
MANY = 12  # more than the frozen search shows at once (10)


@pytest.fixture(scope="module")
def frozen_copy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A small site with cases and debtors, frozen with Pagefind and served statically."""
    from portal.db.engine import upgrade_schema
    from portal.db.load import load_content
    from portal.web import create_app

    root = tmp_path_factory.mktemp("frozen-browser")
    site = SiteBuilder(root / "site").standard().standard_cases()
    # More results than a page shows, under a word of their own; one of them with a word only
    # it holds.
    site.collection("2019-garnishment", year=2019, total_cases=MANY)
    for number in range(1, MANY + 1):
        body = "Garnishment of wages ordered." + (" Zebrafinch." if number == 1 else "")
        site.case("2019-garnishment", f"{number:02d}-wages", body=body, year=2019,
                  cause="service-contract")  # fmt: skip
    app: Flask = create_app({
        "TESTING": True, "DATABASE_URL": f"sqlite:///{root / 'portal.sqlite3'}",
        "CONTENT_DIR": str(site.content), "CASES_DIR": str(site.cases),
        "INDEX_DIR": str(root / "index"), "SITE_URL": "https://portal.example.test",
        "SECRET_KEY": TEST_SECRET, "STATIC_LOOKUP_SALT": FAST.salt,
        "STATIC_LOOKUP_ITERATIONS": FAST.iterations,
    })  # fmt: skip
    factory = session_factory(app)
    upgrade_schema(database_engine(app))
    load_content(factory, site.content, site.cases)
    rows = [person("R1"), person("GONE", name="王芳", id_number=GONE_NUMBER,
                                 removed_on="2024-05-01", removal_reason="paid")]  # fmt: skip
    import_debtors(factory, write_csv(root / "list.csv", rows),
                   IdentityKeys.from_secret(TEST_SECRET))  # fmt: skip
    out = root / "out"
    freeze(app, out)
    base_url, server = serve_folder(out)
    try:
        yield base_url
    finally:
        server.shutdown()
        database_engine(app).dispose()


def search(page, base_url: str, lang: str, query: str) -> list[str]:
    page.goto(f"{base_url}/{lang}/search/?q={query}")
    page.wait_for_selector("#static-search-results li", timeout=10_000)
    return [link.text_content() for link in page.locator("#static-search-results a").all()]


@pytest.mark.parametrize(
    ("lang", "query", "expected"),
    [("en", "lending", "Case 02-li (en)"), ("zh", "民间借贷", "Case 02-li (zh)"),
     # Traditional characters folded in the browser with OpenCC's table, as the live search does.
     ("zh", "民間借貸", "Case 02-li (zh)")],
)  # fmt: skip
def test_the_frozen_search_finds_cases_in_both_languages(
    page, frozen_copy: str, lang: str, query: str, expected: str
) -> None:
    assert expected in search(page, frozen_copy, lang, query)
    assert not page.csp_errors


def test_the_frozen_lookup_finds_a_listed_record_and_not_a_removed_one(
    page, frozen_copy: str
) -> None:
    page.goto(f"{frozen_copy}/en/debtors/")
    assert check_static_lookup(page, "张伟", resident_id()).startswith("On the list.")
    assert check_static_lookup(page, "王芳", GONE_NUMBER).startswith("Not on the list")


def test_the_frozen_lookup_is_kept_out_of_the_sitemap(frozen_copy: str) -> None:
    import urllib.request

    sitemap = urllib.request.urlopen(f"{frozen_copy}/sitemap.xml").read().decode()
    assert "debtors" not in sitemap


@pytest.mark.parametrize(("lang", "ordinary"), [("en", "lending"), ("zh", "民间借贷")])
def test_the_frozen_search_withholds_an_identity_number(
    page, frozen_copy: str, lang: str, ordinary: str
) -> None:
    """The same shapes as the live search, applied in the browser: not searched, and out of the
    address bar and the field; the notice points to the frozen lookup."""
    number = resident_id()
    page.goto(f"{frozen_copy}/{lang}/search/?q={number}")
    page.wait_for_selector("#search-number-withheld:not([hidden])", timeout=10_000)
    assert page.url == f"{frozen_copy}/{lang}/search/"
    assert page.input_value("#search-query") == ""
    assert page.locator("#search-number-withheld a").get_attribute("href") == f"/{lang}/debtors/"
    page.fill("#search-query", ordinary)
    page.press("#search-query", "Enter")
    page.wait_for_selector("#static-search-results li", timeout=10_000)
    assert page.is_hidden("#search-number-withheld")
    page.fill("#search-query", f"张伟 {number[:6]} {number[6:14]} {number[14:]}")
    page.press("#search-query", "Enter")
    page.wait_for_selector("#search-number-withheld:not([hidden])", timeout=10_000)
    assert page.url == f"{frozen_copy}/{lang}/search/"
    assert page.input_value("#search-query") == ""
    assert page.locator("#static-search-results li").count() == 0
    assert number not in page.content()
    assert not page.csp_errors


@pytest.mark.parametrize(
    ("lang", "query", "message"),
    [("en", "asdkjhqwe", "Nothing matches all of these words."),
     # Pagefind alone answers this with the pages holding "lending".
     ("en", "lendingqzxvk", "Nothing matches all of these words."),
     ("zh", "lendingqzxvk", "没有")],
)  # fmt: skip
def test_the_frozen_search_shows_nothing_for_nonsense_and_says_so(
    page, frozen_copy: str, lang: str, query: str, message: str
) -> None:
    page.goto(f"{frozen_copy}/{lang}/search/?q={query}")
    page.wait_for_function("document.getElementById('static-search-status').textContent !== ''")
    assert message in page.text_content("#static-search-status")
    assert page.locator("#static-search-results li").count() == 0
    assert not page.csp_errors


def test_the_frozen_search_shows_a_page_of_results_and_the_rest_on_request(
    page, frozen_copy: str
) -> None:
    """Only the shown results' details are loaded: ten, then the rest on "More results", focus
    on the first new one."""
    fragments: list[str] = []
    page.on(
        "request",
        lambda request: fragments.append(request.url) if "/fragment/" in request.url else None,
    )
    page.goto(f"{frozen_copy}/en/search/?q=garnishment")
    page.wait_for_function("document.getElementById('static-search-status').textContent !== ''")
    assert page.text_content("#static-search-status") == f"{MANY} results"
    assert page.locator("#static-search-results li").count() == 10
    shown_first = len(fragments)
    assert shown_first <= 11  # the ten shown, and the best page of the one typed word
    more = page.locator("#static-search-more")
    assert more.is_visible()
    assert more.text_content() == "More results"
    more.click()
    page.wait_for_function(
        f"document.querySelectorAll('#static-search-results li').length === {MANY}"
    )
    assert more.is_hidden()
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == page.locator("#static-search-results li a").nth(10).text_content()
    assert len(fragments) == shown_first + MANY - 10
    titles = [link.text_content() for link in page.locator("#static-search-results a").all()]
    assert sorted(titles) == sorted(f"Case {n:02d}-wages (en)" for n in range(1, MANY + 1))
    assert not page.csp_errors


@pytest.mark.parametrize(
    ("lang", "query", "count"),
    [("en", "zebrafinch", "1 result"), ("en", "lending", "2 results"),
     ("zh", "民间借贷", "共 2 条结果")],
)  # fmt: skip
def test_the_frozen_search_counts_in_the_page_language(
    page, frozen_copy: str, lang: str, query: str, count: str
) -> None:
    """English has one result and two results; Chinese one form."""
    page.goto(f"{frozen_copy}/{lang}/search/?q={query}")
    page.wait_for_function("document.getElementById('static-search-status').textContent !== ''")
    assert page.text_content("#static-search-status") == count
    assert page.locator("#static-search-more").is_hidden()
