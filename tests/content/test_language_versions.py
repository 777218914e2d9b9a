"""The one rule that the language versions of an item agree on their shared facts: a later file
that differs is named with the field, what the first file says, and which file that is."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from portal.content.files import ContentProblem
from portal.content.language_versions import LanguageVersions, check_versions_agree


@dataclass(frozen=True)
class Version:
    key: str
    source_path: str
    date: dt.date
    measures: tuple[str, ...] = ()
    figures: object = None


def test_a_later_version_that_differs_is_named_with_the_first_one() -> None:
    problems: list[ContentProblem] = []
    versions = [
        Version("a", "a.zh.md", dt.date(2021, 1, 16)),
        Version("a", "a.en.md", dt.date(2021, 1, 15)),
        Version("b", "b.zh.md", dt.date(2021, 2, 1)),  # another item: not compared with "a"
    ]
    check_versions_agree(versions, lambda v: v.key, "a thing share one date", {"date": "when"},
                         problems)  # fmt: skip
    assert [str(problem) for problem in problems] == [
        "a.zh.md: field 'when': expected 2021-01-15 as in a.en.md; "
        "all language versions of a thing share one date"
    ]


def test_a_compound_fact_is_not_quoted_and_an_evened_out_one_agrees() -> None:
    problems: list[ContentProblem] = []
    checker = LanguageVersions(
        "a case share their facts",
        {"measures": "measures", "figures": "payout"},
        problems,
        compared_as=lambda name, value: sorted(value) if name == "measures" else value,
    )
    day = dt.date(2021, 1, 15)
    checker.check("x", Version("x", "x.en.md", day, ("fine", "detention"), object()))
    checker.check("x", Version("x", "x.zh.md", day, ("detention", "fine"), object()))
    assert [str(problem) for problem in problems] == [
        "x.zh.md: field 'payout': differs from x.en.md; all language versions of a case share "
        "their facts"
    ]
