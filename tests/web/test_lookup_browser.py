"""The debtor lookup's answer in Chromium: focus on the outcome, the title says it, on a phone
it is on screen; a wrong check character is caught before sending; axe finds nothing serious."""

from __future__ import annotations

import pytest

from tests.support.browser import PHONE, in_viewport, serious_violations
from tests.support.pagekinds import DEBTOR_NAME, DEBTOR_NUMBER
from tests.support.site import require_module

OUTCOMES = {
    ("en", True): "On the list",
    ("en", False): "Not on the list",
    ("zh", True): "在名单上",
    ("zh", False): "不在名单上",
}


@pytest.fixture(scope="module")
def axe():
    return require_module("axe_playwright_python.sync_playwright").Axe()


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("found", [True, False], ids=["found", "absent"])
def test_the_outcome_gets_the_focus_and_the_title_and_is_on_a_phone_screen(
    page, live_server: str, axe, lang: str, found: bool
) -> None:
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server}/{lang}/debtors/")
    page.fill("#debtor-name", DEBTOR_NAME if found else "王五")
    if found:
        page.fill("#debtor-number", DEBTOR_NUMBER)
    with page.expect_navigation():
        page.click("button[type=submit]")
    outcome = OUTCOMES[(lang, found)]
    assert page.evaluate("() => document.activeElement.id") == "debtor-result-heading"
    assert page.inner_text("#debtor-result-heading") == outcome
    assert page.title().startswith(f"{outcome} – ")
    assert in_viewport(page, "#debtor-result-heading")
    problems = serious_violations(axe.run(page).response)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_wrong_check_character_is_caught_before_sending(
    page, live_server: str, lang: str
) -> None:
    wrong = DEBTOR_NUMBER[:17] + ("1" if DEBTOR_NUMBER[17] != "1" else "2")
    posts: list[str] = []
    page.on("request", lambda request: request.method == "POST" and posts.append(request.url))
    page.goto(f"{live_server}/{lang}/debtors/")
    page.fill("#debtor-name", DEBTOR_NAME)
    page.fill("#debtor-number", wrong)
    page.click("button[type=submit]")
    assert page.is_visible("#debtor-number-error")
    assert page.get_attribute("#debtor-number", "aria-invalid") == "true"
    described = page.get_attribute("#debtor-number", "aria-describedby").split()
    assert "debtor-number-error" in described
    assert page.evaluate("() => document.activeElement.id") == "debtor-number"
    assert page.input_value("#debtor-number") == wrong  # kept, to be corrected
    assert posts == []  # nothing was sent
    # Corrected, it is sent.
    page.fill("#debtor-number", DEBTOR_NUMBER)
    with page.expect_navigation():
        page.click("button[type=submit]")
    assert posts


def test_without_the_script_the_server_keeps_the_number_and_focuses_it(
    page, live_server: str
) -> None:
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server}/en/debtors/")
    page.fill("#debtor-name", DEBTOR_NAME)
    page.fill("#debtor-number", "3101011980")
    with page.expect_navigation():
        page.eval_on_selector("form.debtor-form", "form => form.submit()")
    assert page.title().startswith("Check the form – ")
    assert page.evaluate("() => document.activeElement.id") == "debtor-number"
    assert page.input_value("#debtor-number") == "3101011980"
    assert in_viewport(page, "#debtor-number")
