"""The rules every kind of content file shares: one facet definition, one year range and one
way of checking fields, whichever file they are checked in."""

from __future__ import annotations

import dataclasses

import pytest

from portal.content.cases import VOCABULARY_KINDS, CaseFile
from portal.content.facets import CASE_FACETS, SEARCH_FACETS
from portal.content.files import (
    FIRST_YEAR,
    LAST_YEAR,
    ContentError,
    ContentProblem,
    FileReport,
    int_value,
    text_value,
    validate_fields,
)
from portal.db.load import read_site
from portal.db.models import Case
from portal.search.index import make_schema
from tests.support.site import SiteBuilder

LABELS = {"courts": {"minhang-district": "Minhang District People's Court"}}


def problems_of(site: SiteBuilder) -> list[str]:
    try:
        read_site(site.content, site.cases)
    except ContentError as error:
        return sorted(str(problem) for problem in error.problems)
    return []


def test_every_facet_names_a_search_field_a_case_attribute_and_a_vocabulary() -> None:
    index_fields = set(make_schema().names())
    assert {facet.index_field for facet in SEARCH_FACETS.values()} <= index_fields
    case_fields = {field.name for field in dataclasses.fields(CaseFile)}
    for facet in CASE_FACETS.values():
        assert facet.attribute in case_fields
        assert hasattr(Case, facet.attribute)
    assert VOCABULARY_KINDS == ("courts", "causes", "categories", "measures")
    assert list(SEARCH_FACETS) == ["kind", "language", *CASE_FACETS]


def test_a_vocabulary_facet_knows_only_its_keys_and_shows_their_labels() -> None:
    court, year = CASE_FACETS["court"], CASE_FACETS["year"]
    assert court.knows("minhang-district", LABELS)
    assert not court.knows("minhang", LABELS)
    assert not CASE_FACETS["cause"].knows("private-lending", LABELS)  # no causes at all
    assert court.value_label("minhang-district", LABELS) == "Minhang District People's Court"
    assert year.knows(2020, LABELS)
    assert year.value_label(2020, LABELS) == "2020"
    assert (court.key_variable, year.key_variable) == ("<key>", "<int:key>")


@pytest.mark.parametrize(
    ("year", "accepted"),
    [(FIRST_YEAR - 1, False), (FIRST_YEAR, True), (LAST_YEAR, True), (LAST_YEAR + 1, False)],
)
def test_collections_cases_and_statistics_share_one_year_range(
    site: SiteBuilder, year: int, accepted: bool
) -> None:
    site.statistics()
    data = site.statistics_data()
    data["groups"][0]["figures"][2]["year"] = year  # a quoted figure without derived ones
    site.statistics(data)
    site.collection("2020-difficult", year=year)
    site.case("2020-difficult", "01-zhang", year=year)
    expected = f"expected a year such as 2020, got int {year}"
    if accepted:
        assert problems_of(site) == []
    else:
        assert [problem for problem in problems_of(site) if expected in problem] == [
            f"cases/2020-difficult/01-zhang.en.md: field 'year': {expected}",
            f"cases/2020-difficult/collection.en.md: field 'year': {expected}",
            f"content/statistics/figures.yaml: field 'groups[1].figures[3].year': {expected}",
        ]


def test_fields_are_checked_the_same_way_at_any_depth() -> None:
    problems: list[ContentProblem] = []
    report = FileReport("statistics/figures.yaml", problems)
    schema = {"title": (text_value, True), "count": (int_value, True), "note": (text_value, False)}
    values = validate_fields(
        {"title": "Caseload", "count": 0, "colour": "red", "note": "FILL-IN"},
        schema,
        report,
        "groups[2]",
    )
    assert values == {"title": "Caseload"}
    assert [str(problem) for problem in problems] == [
        "statistics/figures.yaml: field 'groups[2].colour': is not a known field; "
        "allowed: title, count, note",
        "statistics/figures.yaml: field 'groups[2].count': expected a whole number from 1 up, "
        "got int 0",
        "statistics/figures.yaml: field 'groups[2].note': is marked FILL-IN by portal "
        "import-docx: an editor must fill it in",
    ]
    assert validate_fields(["not", "a", "mapping"], schema, report, "groups[3]") is None
    assert str(problems[-1]) == (
        "statistics/figures.yaml: field 'groups[3]': expected a mapping with the keys "
        "title, count, note"
    )
    assert not report.ok
