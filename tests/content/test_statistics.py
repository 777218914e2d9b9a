"""The statistics dataset: figures quoted word for word from a release, derived figures checked,
and a bad file refused with its path, field and what was expected."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.content.files import ContentError
from portal.content.press import read_content
from portal.content.statistics import derivation_formula, derive_earlier_value
from portal.db.engine import make_session_factory, upgrade_schema
from portal.db.load import load_content
from portal.db.models import StatisticFigure
from tests.support.site import SiteBuilder


def problems_of(site: SiteBuilder) -> list[str]:
    with pytest.raises(ContentError) as caught:
        read_content(site.content)
    return [str(problem) for problem in caught.value.problems]


def figure(data: dict[str, Any], group: int, number: int) -> dict[str, Any]:
    return data["groups"][group]["figures"][number]


def test_a_valid_file_gives_every_figure_with_its_paragraph(site: SiteBuilder) -> None:
    statistics = read_content(site.statistics().content).statistics
    assert [(f.key, f.year, f.value, f.paragraph) for f in statistics.figures] == [
        ("accepted", 2020, 1250, "p-2"),
        ("accepted", 2019, 1000, "p-2"),
        ("concluded", 2020, 900, "p-2"),
        ("detained", 2020, 20, "p-3"),
        ("paid", 2020, 5000000, "p-3"),
    ]
    derived = statistics.figures[1]
    assert derived.derived
    assert derived.qualifier == "about"
    assert derived.formula == "2019 = 2020 / (1 + 25%) = 1250 / 1.25 ≈ 1000"
    assert (derived.label_en, derived.unit, derived.group) == (
        "Cases accepted",
        "cases",
        "caseload",
    )
    assert [(g.key, g.chart) for g in statistics.groups] == [
        ("caseload", True),
        ("measures", False),
    ]


def test_the_derivation_rounds_to_a_whole_number() -> None:
    assert derive_earlier_value(161600, 7.68) == 150074
    assert derive_earlier_value(162100, 7.56) == 150707


def test_a_sentence_that_is_not_in_the_release_is_refused(site: SiteBuilder) -> None:
    data = site.statistics_data()
    figure(data, 0, 0)["sentence"] = "In 2020, the courts accepted 1,350 cases."
    assert problems_of(site.statistics(data)) == [
        "content/statistics/figures.yaml: field 'groups[1].figures[1].sentence': is not a "
        "sentence of "
        "press/2021/work-report.en.md: expected the exact words of the release"
    ]


def test_a_chinese_sentence_that_is_not_in_the_chinese_release_is_refused(
    site: SiteBuilder,
) -> None:
    data = site.statistics_data()
    # The English sentence is in the release, but not in its Chinese version.
    figure(data, 1, 0)["sentence_zh"] = site.STATISTICS_SENTENCES[1]
    del figure(data, 1, 1)["sentence_zh"]
    assert problems_of(site.statistics(data)) == [
        "content/statistics/figures.yaml: field 'groups[2].figures[1].sentence_zh': is not a "
        "sentence of press/2021/work-report.zh.md: expected the exact words of the release",
        "content/statistics/figures.yaml: field 'groups[2].figures[2].sentence_zh': is required",
    ]


def test_each_figure_quotes_the_paragraph_of_each_language_version(site: SiteBuilder) -> None:
    statistics = read_content(site.statistics().content).statistics
    first_zh, second_zh = site.STATISTICS_SENTENCES_ZH
    assert [(f.key, f.year, f.sentence_zh, f.paragraph_zh) for f in statistics.figures] == [
        ("accepted", 2020, first_zh, "p-2"),
        ("accepted", 2019, first_zh, "p-2"),
        ("concluded", 2020, first_zh, "p-2"),
        ("detained", 2020, second_zh, "p-3"),
        ("paid", 2020, second_zh, "p-3"),
    ]


def test_a_wrong_derived_value_is_refused_with_the_formula(site: SiteBuilder) -> None:
    data = site.statistics_data()
    figure(data, 0, 1)["value"] = 1001
    assert problems_of(site.statistics(data)) == [
        "content/statistics/figures.yaml: field 'groups[1].figures[2].value': expected 1000: "
        "2019 = 2020 / (1 + 25%) = 1250 / 1.25 ≈ 1000"
    ]


def test_a_derived_figure_needs_a_growth_rate_to_come_from(site: SiteBuilder) -> None:
    data = site.statistics_data()
    figure(data, 0, 1)["key"] = "concluded"
    assert problems_of(site.statistics(data)) == [
        "content/statistics/figures.yaml: field 'groups[1].figures[2].derived': expected a quoted "
        "figure "
        "concluded of 2020 with a change_percent to derive it from"
    ]


def test_fields_are_checked_and_named(site: SiteBuilder) -> None:
    data = site.statistics_data()
    figure(data, 0, 0)["unit"] = "dollars"
    figure(data, 1, 0)["qualifier"] = "roughly"
    del figure(data, 1, 1)["label"]
    figure(data, 1, 1)["colour"] = "red"
    data["groups"][1]["title"] = {"en": "Measures"}
    assert problems_of(site.statistics(data)) == [
        "content/statistics/figures.yaml: field 'groups[1].figures[1].unit': expected one of "
        "cases, "
        "people, materials, yuan, got 'dollars'",
        "content/statistics/figures.yaml: field 'groups[2].title': expected exactly the labels "
        "en, zh, "
        "got dict {'en': 'Measures'}",
        "content/statistics/figures.yaml: field 'groups[2].figures[1].qualifier': expected one of "
        "exact, "
        "more-than, nearly, got 'roughly'",
        "content/statistics/figures.yaml: field 'groups[2].figures[2].colour': is not a known "
        "field; "
        "allowed: key, year, value, unit, label, sentence, sentence_zh, qualifier, change_percent, "
        "release",
        "content/statistics/figures.yaml: field 'groups[2].figures[2].label': is required",
    ]


def test_an_unknown_release_and_a_duplicate_figure_are_refused(site: SiteBuilder) -> None:
    data = site.statistics_data()
    data["release"] = "2021/no-such-report"
    assert problems_of(site.statistics(data))[0] == (
        "content/statistics/figures.yaml: field 'release': press release 2021/no-such-report not "
        "found: "
        "expected press/2021/no-such-report.en.md and press/2021/no-such-report.zh.md"
    )
    data = site.statistics_data()
    data["groups"][1]["figures"].append(dict(figure(data, 1, 0)))
    assert problems_of(site.statistics(data)) == [
        "content/statistics/figures.yaml: field 'groups[2].figures[3].key': detained 2020 is "
        "listed twice"
    ]


def test_a_file_that_is_not_yaml_is_refused(site: SiteBuilder) -> None:
    problems = problems_of(site.statistics("release: [unclosed\n"))
    assert len(problems) == 1
    assert problems[0].startswith("content/statistics/figures.yaml: is not valid UTF-8 YAML")


def test_a_bad_statistics_file_loads_nothing(site: SiteBuilder, engine_for, database_url) -> None:
    engine = engine_for(database_url)
    upgrade_schema(engine)
    factory = make_session_factory(engine)
    load_content(factory, site.statistics().content, site.cases)
    data = site.statistics_data()
    figure(data, 0, 0)["value"] = 1300  # changes the figure, and so breaks its derived 2019
    site.statistics(data)
    site.page("about")  # a new page that would be added
    with pytest.raises(ContentError):
        load_content(factory, site.content, site.cases)
    with Session(engine) as session:
        values = {(f.key, f.year): f.value for f in session.scalars(select(StatisticFigure))}
        assert values[("accepted", 2020)] == 1250
        assert len(values) == 5


def test_the_bundled_figures_quote_the_2020_report() -> None:
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    from portal.db.load import read_site

    content, _cases = read_site(root / "content", root / "cases")
    figures = {(f.key, f.year): f for f in content.statistics.figures}
    assert {key: f.value for key, f in figures.items() if not f.derived} == {
        ("initial-cases-accepted", 2020): 161600,
        ("cases-concluded", 2020): 162100,
        ("value-of-cases-concluded", 2020): 37_894_000_000,
        ("paid-to-migrant-workers", 2020): 369_000_000,
        ("mobile-enforcement-people", 2020): 15587,
        ("traceable-evidence-materials", 2020): 3475,
        ("refusal-to-enforce-crime-cases", 2020): 28,
        ("people-detained", 2020): 208,
        ("people-restricted-from-leaving", 2020): 1315,
        ("victims-registered-online", 2020): 35000,
        ("victims-paid-first-batch", 2020): 18000,
        ("paid-to-victims-first-batch", 2020): 500_000_000,
    }
    derived = {key: f for key, f in figures.items() if f.derived}
    assert {key: f.value for key, f in derived.items()} == {
        ("initial-cases-accepted", 2019): 150074,
        ("cases-concluded", 2019): 150707,
    }
    assert derivation_formula(figures[("initial-cases-accepted", 2020)]).endswith("≈ 150074")
    assert figures[("victims-registered-online", 2020)].qualifier == "more-than"
    assert figures[("victims-paid-first-batch", 2020)].qualifier == "nearly"
    # Each figure quotes the Chinese release too, in the paragraph that states it.
    assert {key: (f.paragraph, f.paragraph_zh) for key, f in figures.items() if f.year == 2020} == {
        ("initial-cases-accepted", 2020): ("p-2", "p-2"),
        ("cases-concluded", 2020): ("p-2", "p-2"),
        ("value-of-cases-concluded", 2020): ("p-2", "p-2"),
        ("paid-to-migrant-workers", 2020): ("p-4", "p-4"),
        ("mobile-enforcement-people", 2020): ("p-3", "p-3"),
        ("traceable-evidence-materials", 2020): ("p-3", "p-3"),
        ("refusal-to-enforce-crime-cases", 2020): ("p-4", "p-4"),
        ("people-detained", 2020): ("p-4", "p-4"),
        ("people-restricted-from-leaving", 2020): ("p-4", "p-4"),
        ("victims-registered-online", 2020): ("p-5", "p-5"),
        ("victims-paid-first-batch", 2020): ("p-5", "p-5"),
        ("paid-to-victims-first-batch", 2020): ("p-5", "p-5"),
    }
    assert "3.5万余名" in figures[("victims-registered-online", 2020)].sentence_zh
