"""The victims' status check in Chromium on a phone (390 px): the outcome gets the focus and the
title and is on screen, the payments table scrolls in its own region instead of widening the
page, a wrong check character is caught before sending, and axe finds nothing serious."""

from __future__ import annotations

import pytest

from tests.support.browser import PHONE, in_viewport, serious_violations
from tests.support.pagekinds import VICTIM_CASE, VICTIM_NAME, VICTIM_NUMBER
from tests.support.site import require_module

OUTCOMES = {
    ("en", True): "Confirmed",
    ("en", False): "No registration found",
    ("zh", True): "已核定",
    ("zh", False): "未查到登记信息",
}


@pytest.fixture(scope="module")
def axe():
    return require_module("axe_playwright_python.sync_playwright").Axe()


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("found", [True, False], ids=["found", "none"])
def test_the_answer_gets_the_focus_and_fits_a_phone(
    page, live_server: str, axe, lang: str, found: bool
) -> None:
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server}/{lang}/victims/status/")
    page.fill("#victim-name", VICTIM_NAME if found else "王五")
    page.fill("#victim-number", VICTIM_NUMBER)
    page.select_option("#victim-case", VICTIM_CASE)
    with page.expect_navigation():
        page.click("button[type=submit]")
    outcome = OUTCOMES[(lang, found)]
    assert page.evaluate("() => document.activeElement.id") == "victim-status-heading"
    assert page.inner_text("#victim-status-heading") == outcome
    assert page.title().startswith(f"{outcome} – ")
    assert in_viewport(page, "#victim-status-heading")
    # Nothing widens the page: a wide table scrolls inside its own region.
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.locator(".victim-status__payments").count() == (1 if found else 0)
    if found:  # the payments fit a phone whole: no column is hidden behind a scroll
        assert page.evaluate(
            """() => { const region = document.querySelector('.victim-status__payments')
                .closest('.table-scroll'); return region.scrollWidth <= region.clientWidth; }"""
        )
        if lang == "zh":  # a date such as 2026年6月15日 is not broken between its characters
            lines = page.evaluate(
                """() => [...document.querySelectorAll('.victim-status__payments time')]
                    .map(t => t.getClientRects().length)"""
            )
            assert lines
            assert set(lines) == {1}
    problems = serious_violations(axe.run(page).response)
    assert not problems, "\n".join(problems)


def test_a_wrong_check_character_is_caught_before_sending(page, live_server: str) -> None:
    wrong = VICTIM_NUMBER[:17] + ("1" if VICTIM_NUMBER[17] != "1" else "2")
    posts: list[str] = []
    page.on("request", lambda request: request.method == "POST" and posts.append(request.url))
    page.goto(f"{live_server}/en/victims/status/")
    page.fill("#victim-name", VICTIM_NAME)
    page.fill("#victim-number", wrong)
    page.select_option("#victim-case", VICTIM_CASE)
    page.click("button[type=submit]")
    assert page.is_visible("#victim-number-error")
    assert page.get_attribute("#victim-number", "aria-describedby").split() == [
        "victim-number-hint",
        "victim-number-error",
    ]
    assert page.evaluate("() => document.activeElement.id") == "victim-number"
    assert posts == []
