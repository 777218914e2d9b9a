"""Validation of the cases folder: vocabulary, collections and cases, refused whole or loaded."""

from __future__ import annotations

import pytest

from portal.content.cases import read_cases
from portal.content.files import ContentError
from portal.db.load import read_site
from tests.support.site import SiteBuilder


def problems_of(site: SiteBuilder) -> list[str]:
    with pytest.raises(ContentError) as caught:
        read_site(site.content, site.cases)
    return [str(problem) for problem in caught.value.problems]


def test_valid_cases_are_read_with_their_facts(site: SiteBuilder) -> None:
    site.standard_cases()
    case_set, problems = read_cases(site.cases)
    assert problems == []
    assert {c.key for c in case_set.collections} == {"2020-difficult", "2021-discipline"}
    zhang = next(c for c in case_set.cases if c.slug == "01-zhang" and c.lang == "en")
    assert (zhang.collection, zhang.number, zhang.court, zhang.measures) == (
        "2020-difficult", 1, "minhang-district", ("fine", "detention"),
    )  # fmt: skip
    labels = {(t.kind, t.key, t.lang): t.label for t in case_set.terms}
    assert labels[("courts", "minhang-district", "zh")] == "闵行区人民法院"


def test_an_unknown_vocabulary_key_names_the_file_field_and_allowed_keys(
    site: SiteBuilder,
) -> None:
    site.collection("2020-difficult")
    site.case("2020-difficult", "01-zhang", court="minhang")
    assert problems_of(site) == [
        "cases/2020-difficult/01-zhang.en.md: field 'court': 'minhang' is not in the vocabulary's "
        "courts; allowed: minhang-district, shanghai-no1-intermediate"
    ]


def test_an_unknown_measure_is_refused(site: SiteBuilder) -> None:
    site.collection("2020-difficult")
    site.case("2020-difficult", "01-zhang", measures=["fine", "flogging"])
    (problem,) = problems_of(site)
    assert problem.startswith(
        "cases/2020-difficult/01-zhang.en.md: field 'measures': 'flogging' is not"
    )


def test_a_case_whose_collection_does_not_exist_is_refused(site: SiteBuilder) -> None:
    site.vocabulary()
    site.case("2019-missing", "01-zhang")
    assert problems_of(site) == [
        "cases/2019-missing/01-zhang.en.md: its collection does not exist: expected "
        "2019-missing/collection.en.md"
    ]


def test_duplicate_numbers_in_a_collection_are_refused(site: SiteBuilder) -> None:
    site.collection("2020-difficult")
    site.case("2020-difficult", "01-zhang")
    site.case("2020-difficult", "01-zhao")
    assert problems_of(site) == [
        "cases/2020-difficult/01-zhao.en.md: field 'number': 1 is already used by "
        "2020-difficult/01-zhang.en.md"
    ]


def test_the_number_must_match_the_file_name(site: SiteBuilder) -> None:
    site.collection("2020-difficult")
    site.case("2020-difficult", "03-zhang", number=4)
    assert problems_of(site) == [
        "cases/2020-difficult/03-zhang.en.md: field 'number': expected 3, the number in the file "
        "name"
    ]


@pytest.mark.parametrize(
    ("fact", "zh_value"),
    [("court", "shanghai-no1-intermediate"), ("cause", "service-contract"), ("year", 2021)],
)
def test_language_versions_that_disagree_on_a_fact_are_refused(
    site: SiteBuilder, fact: str, zh_value: object
) -> None:
    for lang in ("en", "zh"):
        site.collection("2020-difficult", lang)
    site.case("2020-difficult", "01-zhang", "en")
    site.case("2020-difficult", "01-zhang", "zh", **{fact: zh_value})
    (problem,) = problems_of(site)
    assert problem.startswith(f"cases/2020-difficult/01-zhang.zh.md: field '{fact}': expected ")
    assert "all language versions of a case share their facts" in problem


def test_a_collection_cannot_publish_more_cases_than_it_holds(site: SiteBuilder) -> None:
    site.collection("2020-difficult", total_cases=1)
    site.case("2020-difficult", "01-zhang")
    site.case("2020-difficult", "02-li")
    assert problems_of(site) == [
        "cases/2020-difficult/collection.en.md: field 'total_cases': says 1, but 2 cases are "
        "published here"
    ]


@pytest.mark.parametrize("key", ["court", "page", "collections"])
def test_a_collection_key_may_not_take_a_url_of_the_case_pages(site: SiteBuilder, key: str) -> None:
    """Facet pages, pagination and the list of collections own /<lang>/cases/<these>/."""
    site.collection(key)
    assert problems_of(site) == [
        f"cases/{key}/collection.en.md: collection key '{key}' is reserved for the case "
        "pages' own URLs"
    ]


def test_a_press_release_must_name_existing_collections(site: SiteBuilder) -> None:
    site.collection("2020-difficult")
    site.release(2021, "report", collections=["2020-difficult", "2020-imaginary"])
    assert problems_of(site) == [
        "content/press/2021/report.en.md: field 'collections': '2020-imaginary' is not a "
        "typical-case "
        "collection; known: 2020-difficult"
    ]


def test_a_collection_is_released_with_one_release_only(site: SiteBuilder) -> None:
    site.collection("2020-difficult")
    site.release(2021, "report", collections=["2020-difficult"])
    site.release(2021, "another", collections=["2020-difficult"])
    assert problems_of(site) == [
        "content/press/2021/report.en.md: field 'collections': '2020-difficult' is already "
        "released "
        "with press/2021/another.en.md"
    ]


def test_the_vocabulary_needs_both_labels_and_known_kinds(site: SiteBuilder) -> None:
    site.vocabulary(courts={"minhang-district": {"en": "Minhang"}}, judges={})
    site.collection("2020-difficult")
    problems = problems_of(site)
    assert "cases/vocabulary.yaml: field 'judges': is not a vocabulary kind; allowed: courts, " \
           "causes, categories, measures" in problems  # fmt: skip
    assert (
        "cases/vocabulary.yaml: field 'courts.minhang-district': expected exactly the labels en, "
        "zh, and optionally contact" in problems
    )


def test_cases_without_a_vocabulary_are_refused(site: SiteBuilder) -> None:
    site.case("2020-difficult", "01-zhang")
    assert problems_of(site)[0].startswith("cases/vocabulary.yaml: not found")


def test_a_fill_in_marker_holds_the_file_back_with_a_warning_saying_so(site: SiteBuilder) -> None:
    site.standard_cases()
    site.case("2020-difficult", "03-wu", court="FILL-IN", parties="FILL-IN")
    _content, case_set = read_site(site.content, site.cases)
    assert [str(warning) for warning in case_set.held_back] == [
        "cases/2020-difficult/03-wu.en.md: field 'parties': is marked FILL-IN by portal "
        "import-docx: an editor must fill it in; held back as a draft",
        "cases/2020-difficult/03-wu.en.md: field 'court': is marked FILL-IN by portal "
        "import-docx: an editor must fill it in; held back as a draft",
    ]
    assert "03-wu" not in {case.slug for case in case_set.cases}
    assert len(case_set.cases) == 6  # the rest of the site is read


def test_a_collection_marked_fill_in_holds_back_its_cases(site: SiteBuilder) -> None:
    site.standard_cases()
    site.collection("2022-new", summary="FILL-IN")
    site.case("2022-new", "01-chen")
    _content, case_set = read_site(site.content, site.cases)
    assert [str(warning) for warning in case_set.held_back] == [
        "cases/2022-new/collection.en.md: field 'summary': is marked FILL-IN by portal "
        "import-docx: an editor must fill it in; held back as a draft",
        "cases/2022-new/01-chen.en.md: held back as a draft with its collection, "
        "2022-new/collection.en.md, which is marked FILL-IN",
    ]
    assert {c.key for c in case_set.collections} == {"2020-difficult", "2021-discipline"}
    assert {case.collection for case in case_set.cases} == {"2020-difficult", "2021-discipline"}


def test_a_file_marked_fill_in_with_another_problem_refuses_the_load(site: SiteBuilder) -> None:
    site.collection("2020-difficult")
    site.case("2020-difficult", "01-zhang", court="FILL-IN", cause="no-such-cause")
    assert problems_of(site) == [
        "cases/2020-difficult/01-zhang.en.md: field 'cause': 'no-such-cause' is not in the "
        "vocabulary's causes; allowed: private-lending, service-contract"
    ]


def test_a_misplaced_case_file_is_refused(site: SiteBuilder) -> None:
    site.collection("2020-difficult")
    (site.cases / "2020-difficult" / "zhang.en.md").write_text("---\ntitle: x\n---\n")
    (problem,) = problems_of(site)
    assert problem.startswith("cases/2020-difficult/zhang.en.md: is not where case files go")
