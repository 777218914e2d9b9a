"""Pages are cheap: each kind of page is answered in a few SQL statements, and that number does
not grow with what the page lists (no lookup per row)."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.support.pagekinds import LANGUAGES, PAGE_KINDS, PageKind
from tests.support.site import SiteBuilder
from tests.support.statements import statements

# The most statements each page kind may run (the proof site, no cache anywhere).
MOST_STATEMENTS = {
    "home": 3,  # latest releases, their attachments, collections
    "page": 1,
    # the years with their counts (the summary, not the releases), releases, attachments
    "press-list": 3,
    "press-year": 3,
    "press-release": 3,  # versions, attachments, collections
    # labels, facet counts (one statement), cases, measures, their collections, the newest
    # collections with how many there are (one statement)
    "cases": 6,
    "cases-facet": 5,
    "collections": 3,  # count, the page's collections, their cases counted
    "collection": 4,  # versions, cases, measures, labels
    "case": 4,  # versions with measures, heading, neighbours, labels
    "search": 1,
    "search-results": 1,
    "search-facet": 1,
    "search-nothing": 1,
    "lookup": 1,
    "lookup-found": 2,  # the records with the list's state, the courts' contacts
    "lookup-absent": 1,
    "lookup-invalid": 1,
    "contact": 2,  # the page's versions, the courts' contacts
    "statistics": 9,  # + the victims' cases: notices, the two summaries, the register's as-of
    "victims": 2,  # the notices, the platform's figures
    "victim-notice": 4,  # versions, the register's two summaries and its as-of
    "victim-status": 1,  # the cases to choose from
    "victim-status-found": 3,  # the cases, the case's notice, the record
    "victim-status-none": 3,
    "victim-status-invalid": 1,
    "data": 11,  # + the victims' figures (whether published), their as-of and last change
    "api-reference": 1,  # the vocabularies' keys, for the filters' allowed values
    "feeds": 2,  # the facet terms and their counts, for the feeds of each facet
    "not-found": 0,
}


def answer(client: FlaskClient, kind: PageKind, lang: str) -> int:
    if kind.form is not None:
        return client.post(kind.url(lang), data=kind.form).status_code
    return client.get(kind.url(lang)).status_code


def test_every_page_kind_has_a_bound() -> None:
    assert set(MOST_STATEMENTS) == {kind.name for kind in PAGE_KINDS}


@pytest.mark.parametrize("kind", PAGE_KINDS, ids=[kind.name for kind in PAGE_KINDS])
def test_each_page_kind_runs_a_few_statements(proof_app: Flask, kind: PageKind) -> None:
    client = proof_app.test_client()
    for lang in LANGUAGES:
        answer(client, kind, lang)  # the first answer may warm what is not the page's own
        with statements(proof_app) as seen:
            assert answer(client, kind, lang) == kind.status
        assert len(seen) <= MOST_STATEMENTS[kind.name], f"{lang}: {seen}"


def listing_statements(client: FlaskClient, app: Flask, url: str) -> int:
    client.get(url)
    with statements(app) as seen:
        assert client.get(url).status_code == 200
    return len(seen)


@pytest.mark.parametrize(
    "url",
    ["/en/", "/en/press/", "/en/cases/", "/en/cases/court/minhang-district/",
     "/en/cases/collections/", "/en/cases/2020-difficult/", "/en/cases/2020-difficult/01-zhang/",
     "/en/data/", "/data/catalog.jsonld"],
)  # fmt: skip
def test_a_page_runs_as_many_statements_for_many_items_as_for_few(
    make_app, site: SiteBuilder, sqlite_url: str, url: str
) -> None:
    site.standard().standard_cases()
    few_app = make_app(sqlite_url)
    few = listing_statements(few_app.test_client(), few_app, url)
    for number in range(3, 11):  # the collection says it has ten
        for lang in LANGUAGES:
            site.case("2020-difficult", f"{number:02d}-extra", lang, number=number,
                      measures=["fine", "detention"])  # fmt: skip
    for day in range(1, 20):
        site.release(2022, f"news-{day}", "en", date=f"2022-03-{day:02d}")
    many_app = make_app(sqlite_url)  # the same database, loaded again with the new items
    assert listing_statements(many_app.test_client(), many_app, url) == few
