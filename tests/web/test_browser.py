"""Every page kind in a real browser (Debian's Chromium, headless, through Playwright), in both
languages: it loads with its language, obeys its Content-Security-Policy, has no axe-core
violation of serious or critical impact, and works with the keyboard alone (the skip link comes
first and moves the focus to <main>, every element reached by Tab shows that it has the focus,
and Tab never gets stuck). Then the things a visitor does by keyboard: switch language, follow a
facet, search, look up a debtor.

A screenshot of the page is saved in test-artifacts/ when a test fails."""

from __future__ import annotations

import itertools

import pytest

from tests.support.browser import (
    SiteServer,
    focus_top,
    focused,
    open_page,
    serious_violations,
    tab_to,
    walk_with_tab,
)
from tests.support.pagekinds import DEBTOR_NAME, DEBTOR_NUMBER, HTML_LANG, every_page
from tests.support.site import require_module

# The servers the pages are checked on: the live app, and its frozen copy on a static server.
SERVER_KINDS = ["live", "frozen"]


# Each page kind on each server that has it: the frozen copy has no page that needs a server
# to answer (a search with a query, a posted lookup, a 404 answered as such).
CHECKS = [
    (server, kind, lang)
    for server in SERVER_KINDS
    for kind, lang in every_page()
    if server == "live" or kind.frozen
]


@pytest.fixture(scope="module")
def axe():
    axe_playwright = require_module("axe_playwright_python.sync_playwright")
    return axe_playwright.Axe()


@pytest.mark.parametrize(
    ("server", "kind", "lang"),
    CHECKS,
    ids=[f"{server}-{kind.name}-{lang}" for server, kind, lang in CHECKS],
)
def test_every_page_in_the_browser(
    page, request: pytest.FixtureRequest, axe, server: str, kind, lang: str
) -> None:
    site_server = SiteServer(server, request.getfixturevalue(f"{server}_server"))
    url = kind.url(lang)
    assert open_page(page, site_server, kind, lang) == kind.status, url
    assert page.get_attribute("html", "lang") == HTML_LANG[lang], url

    problems = serious_violations(axe.run(page).response)
    assert not problems, f"{url}: axe-core found:\n" + "\n".join(problems)

    # From the top: the first Tab reaches the skip link, which is then in view.
    stops = walk_with_tab(page)
    first = stops[0]
    assert first is not None, f"{url}: Tab from the top focuses nothing"
    assert first.name.startswith("a.skip-link"), f"{url}: the first Tab reaches {first.name}"
    # Every element reached shows that it has the focus.
    hidden = [stop.name for stop in stops if stop and not (stop.shows_focus and stop.visible)]
    assert not hidden, f"{url}: no visible focus indicator on {hidden}"
    # No trap: Tab moves on every time, and comes back round to the skip link.
    for before, after in itertools.pairwise(stops):
        assert before is None or after is None or before.id != after.id, (
            f"{url}: the focus is stuck on {before.name}"
        )
    last = stops[-1]
    assert last is not None, f"{url}: the focus left the page for good"
    assert last.id == first.id, (
        f"{url}: Tab never came back round to the skip link: {[s and s.name for s in stops]}"
    )
    assert len({stop.id for stop in stops if stop}) > 5, f"{url}: {stops}"

    # The skip link moves the focus to the main content.
    focus_top(page)
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main", url

    assert not page.csp_errors, f"{url}: Content-Security-Policy violations: {page.csp_errors}"


def test_the_language_switch_by_keyboard(page, live_server: str) -> None:
    page.goto(live_server + "/en/press/2021/annual-report/")
    tab_to(page, ".language-switch a")
    assert page.evaluate("() => document.activeElement.textContent") == "中文"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == live_server + "/zh/press/2021/annual-report/"
    assert page.get_attribute("html", "lang") == "zh-Hans"
    tab_to(page, ".language-switch a")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == live_server + "/en/press/2021/annual-report/"


def test_a_facet_by_keyboard(page, live_server: str) -> None:
    page.goto(live_server + "/en/cases/")
    tab_to(page, ".facets a")
    target = page.evaluate("() => document.activeElement.getAttribute('href')")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == live_server + target
    assert page.locator(".facets [aria-current=page]").count() == 1


@pytest.mark.parametrize(("lang", "query"), [("en", "case"), ("zh", "年度报告")])
def test_the_search_form_by_keyboard(page, live_server: str, lang: str, query: str) -> None:
    page.goto(f"{live_server}/{lang}/search/")
    tab_to(page, "#search-query")
    page.keyboard.type(query)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator(".search-result").count() >= 1
    assert page.input_value("#search-query") == query
    # The language scope is a radio group: Tab reaches the checked choice, an arrow moves it,
    # and the choice applies at once, as the hint beside it says.
    assert page.is_visible("#search-options-hint")
    tab_to(page, "#scope-lang")
    with page.expect_navigation():
        page.keyboard.press("ArrowDown")
    assert "scope=all" in page.url
    assert page.is_checked("#scope-all")
    assert page.input_value("#search-query") == query
    with page.expect_navigation():
        page.select_option("#search-sort", "date")
    assert "sort=date" in page.url


def test_the_search_options_apply_with_the_button_without_javascript(
    browser, live_server: str
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server}/en/search/?q=case&year=2020")
    assert page.is_hidden("#search-options-hint")
    page.check("#scope-all")
    page.select_option("#search-sort", "date")
    assert "scope=all" not in page.url
    with page.expect_navigation():
        page.click(".search-form button[type=submit]")
    assert {"scope=all", "sort=date", "year=2020"} <= set(page.url.split("?")[1].split("&"))
    context.close()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_number_typed_into_search_leaves_the_address_bar(
    page, live_server: str, lang: str
) -> None:
    """The 303 that withholds it: the browser shows, and later pages are referred from, the
    clean URL; the page points to the lookup, which opens with the number nowhere."""
    page.goto(f"{live_server}/{lang}/search/")
    tab_to(page, "#search-query")
    page.keyboard.type(f"{DEBTOR_NAME} {DEBTOR_NUMBER}")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == f"{live_server}/{lang}/search/?scope=lang&sort=relevance&withheld=number"
    assert DEBTOR_NUMBER not in page.content()
    assert page.input_value("#search-query") == ""
    with page.expect_navigation():
        page.click("#search-number-withheld a")
    assert page.url == f"{live_server}/{lang}/debtors/"
    assert DEBTOR_NUMBER not in page.evaluate("() => document.referrer")


def test_the_debtor_lookup_by_keyboard(page, live_server: str) -> None:
    page.goto(live_server + "/en/debtors/")
    tab_to(page, "#debtor-name")
    page.keyboard.type(DEBTOR_NAME)
    page.keyboard.press("Tab")
    assert focused(page).name.startswith("input#debtor-number")
    page.keyboard.type(DEBTOR_NUMBER)
    page.keyboard.press("Tab")
    assert focused(page).name.startswith("button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "On the list." in page.inner_text(".debtor-answer")
    assert page.locator(".debtor-record").count() == 1
    # An error is announced next to its field, and the field is reachable to correct it.
    page.fill("#debtor-name", "")
    page.focus("#debtor-name")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_attribute("#debtor-name", "aria-invalid") == "true"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_statistics_page_on_a_phone(page, live_server: str, lang: str) -> None:
    """At 390 px every chart label is at least 12 px tall as drawn, and every column of every
    table can be reached: the table scrolls in a region that takes the keyboard's focus."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server}/{lang}/statistics/")
    sizes = page.evaluate(
        """() => [...document.querySelectorAll('svg.chart__svg text')].map(
            text => parseFloat(text.getAttribute('font-size')) * text.getScreenCTM().a)"""
    )
    assert len(sizes) > 10  # the figures' charts and the register's
    assert min(sizes) >= 12
    # Each figure's name stays readable: at least four characters a line, not one under another.
    narrowest = page.evaluate(
        """() => Math.min(...[...document.querySelectorAll('.figures__table tbody th')].map(
            th => th.clientWidth / parseFloat(getComputedStyle(th).fontSize)))"""
    )
    assert narrowest >= 4
    assert_every_table_reachable_on_a_phone(page, tables=2)


def assert_every_table_reachable_on_a_phone(page, tables: int) -> None:
    """The page does not scroll sideways at 390 px, and each of its (at least `tables`) tables
    scrolls in a labelled region the keyboard reaches, to its last column."""
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    regions = page.locator(".table-scroll")
    assert regions.count() == page.locator("table").count() >= tables
    for region in regions.all():
        assert region.get_attribute("role") == "region"
        assert region.get_attribute("tabindex") == "0"
        assert region.get_attribute("aria-labelledby")
        region.focus()
        page.keyboard.press("End")
        for _ in range(20):  # the arrow keys scroll a focused region
            page.keyboard.press("ArrowRight")
        # Keyboard scrolling is animated: wait until the last column is in view.
        page.wait_for_function(
            """region => {
                const last = region.querySelector('thead th:last-child').getBoundingClientRect();
                const box = region.getBoundingClientRect();
                return last.left >= box.left - 1 && last.right <= box.right + 1;
            }""",
            arg=region.element_handle(),
        )


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_data_page_on_a_phone(page, live_server: str, lang: str) -> None:
    """Every data dictionary stays within a phone's width, each in its own labelled region."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server}/{lang}/data/")
    assert_every_table_reachable_on_a_phone(page, tables=4)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_victim_notice_on_a_phone(page, live_server: str, lang: str) -> None:
    """The payments table of a victims' notice stays within a phone's width, each payment's
    date on one line."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server}/{lang}/victims/demo-case/")
    assert_every_table_reachable_on_a_phone(page, tables=1)
    lines = page.evaluate(
        "() => [...document.querySelectorAll('table time')].map(t => t.getClientRects().length)"
    )
    assert lines
    assert set(lines) == {1}
