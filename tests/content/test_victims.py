"""Victim registration notices: their fields, payout figures and every validation rule."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from portal.content.press import ContentError, read_content
from portal.content.victims import format_yuan
from tests.support.site import SiteBuilder, victim_notice_fields

BUNDLED = Path(__file__).resolve().parents[2] / "content" / "victims" / "demo-2026-01.en.md"


def problems_of(site: SiteBuilder, front: dict[str, Any]) -> list[str]:
    site.write("victims/demo-case.en.md", front)
    with pytest.raises(ContentError) as caught:
        read_content(site.content)
    return [str(problem) for problem in caught.value.problems]


def test_a_notice_is_read_with_its_payout_figures(site: SiteBuilder) -> None:
    site.victim_notice(body="Notice **text**.")
    (notice,) = read_content(site.content).victim_notices
    assert (notice.key, notice.lang, notice.demonstration) == ("demo-case", "en", True)
    assert notice.closes > notice.opens
    assert len(notice.materials) == 4
    assert "never asks for a fee or your bank password" in notice.anti_fraud
    payout = notice.payout
    assert payout is not None
    assert payout.confirmed_total == Decimal("636950019.89")
    assert payout.ratio_percent == Decimal("18.42915")
    assert payout.paid_people == 17892 + 1204
    assert payout.paid_amount == payout.recovered


def test_money_is_shown_with_thousands_separators_in_both_languages() -> None:
    assert format_yuan(Decimal("117384476.57"), "en") == "117,384,476.57 yuan"
    assert format_yuan(Decimal("500"), "zh") == "500.00 元"


def _without(front: dict[str, Any], name: str) -> dict[str, Any]:
    front.pop(name)
    return front


@pytest.mark.parametrize(
    ("change", "field", "expected"),
    [
        (lambda f: _without(f, "anti_fraud"), "anti_fraud", "is required"),
        (lambda f: f["registration"].update(opens="2026-13-01"), "registration.opens", "date"),
        (
            lambda f: f["registration"].update(closes=f["registration"]["opens"].replace(day=1)),
            "registration.closes",
            "is before registration.opens",
        ),
        (
            lambda f: f["payout"]["batches"][0].update(people=9),
            "payout.batches[1].people",
            "fewer than 10 people",
        ),
        (lambda f: f["payout"].update(recovered=1.5), "payout.recovered", "quoted text"),
        (lambda f: f["payout"].update(confirmed_total="12,00"), "payout.confirmed_total", "amount"),
    ],
)
def test_a_bad_notice_names_file_and_field_and_nothing_is_loaded(
    site: SiteBuilder, change: Any, field: str, expected: str
) -> None:
    site.release(2021, "report", "en")
    front = victim_notice_fields()
    change(front)
    (problem,) = problems_of(site, front)
    assert problem.startswith(f"content/victims/demo-case.en.md: field '{field}': ")
    assert expected in problem


def test_the_bundled_notice_is_a_demonstration_in_both_languages() -> None:
    root = BUNDLED.parents[2]
    collections = {path.parent.name for path in (root / "cases").glob("*/collection.*.md")}
    content = read_content(root / "content", collections)
    notices = {notice.lang: notice for notice in content.victim_notices}
    assert set(notices) == {"en", "zh"}
    assert all(notice.demonstration for notice in notices.values())
    assert notices["en"].payout == notices["zh"].payout


def test_the_language_versions_of_a_notice_share_its_payout_figures(site: SiteBuilder) -> None:
    site.victim_notice(lang="en")
    front = victim_notice_fields("zh")
    front["payout"]["recovered"] = "117384476.58"
    site.write("victims/demo-case.zh.md", front)
    with pytest.raises(ContentError) as caught:
        read_content(site.content)
    (problem,) = [str(problem) for problem in caught.value.problems]
    assert problem.startswith("content/victims/demo-case.zh.md: field 'payout': differs from ")


def test_a_notice_cannot_take_the_status_checks_address(site: SiteBuilder) -> None:
    # /<lang>/victims/status/ is the status check: a notice keyed "status" would be hidden.
    site.write("victims/status.en.md", victim_notice_fields())
    with pytest.raises(ContentError) as caught:
        read_content(site.content)
    (problem,) = [str(problem) for problem in caught.value.problems]
    assert problem.startswith("content/victims/status.en.md: ")
    assert "notice key 'status' is reserved" in problem
