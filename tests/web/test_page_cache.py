"""Pages kept until the content changes: served again without touching the content tables, new
content shown at once after a load, and nothing kept that depends on anything else."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from flask import Flask
from sqlalchemy import event

from portal.db.generations import GenerationCache, advance_generation, current_generation
from portal.db.load import load_content
from portal.web.db import database_engine, session_factory
from portal.web.filters import page_numbers
from tests.support.site import SiteBuilder

CASE_PAGE = "/en/cases/2020-difficult/01-zhang/"


@pytest.fixture
def cases_app(make_app, site: SiteBuilder, database_url: str) -> Flask:
    site.standard().standard_cases()
    return make_app(database_url)


@contextmanager
def statements(app: Flask) -> Iterator[list[str]]:
    """The SQL statements the app runs inside the block."""
    engine = database_engine(app)
    seen: list[str] = []

    def note(_conn, _cursor, statement, _parameters, _context, _many) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", note)


def content_reads(seen: list[str]) -> list[str]:
    return [s for s in seen if "generations" not in s]


def test_a_page_is_served_again_without_reading_the_content(cases_app: Flask) -> None:
    client = cases_app.test_client()
    first = client.get(CASE_PAGE)
    with statements(cases_app) as seen:
        second = client.get(CASE_PAGE)
    assert second.status_code == 200
    assert second.get_data() == first.get_data()
    assert seen  # the content generation was read...
    assert content_reads(seen) == []  # ...and nothing else
    # The security headers are sent fresh with a kept page, once each.
    assert second.headers.getlist("Content-Security-Policy") == first.headers.getlist(
        "Content-Security-Policy"
    )
    assert len(second.headers.getlist("Content-Security-Policy")) == 1


def test_a_load_shows_the_new_content_at_once(cases_app: Flask, site: SiteBuilder) -> None:
    client = cases_app.test_client()
    assert "Zhang, retitled" not in client.get(CASE_PAGE).get_data(as_text=True)
    assert "Zhang, retitled" not in client.get("/en/cases/").get_data(as_text=True)
    site.case(
        "2020-difficult", "01-zhang", "en", title="Zhang, retitled", measures=["fine", "detention"]
    )
    load_content(session_factory(cases_app), site.content, site.cases)
    assert "Zhang, retitled" in client.get(CASE_PAGE).get_data(as_text=True)
    assert "Zhang, retitled" in client.get("/en/cases/").get_data(as_text=True)


def test_a_removed_case_is_gone_at_once(cases_app: Flask, site: SiteBuilder) -> None:
    client = cases_app.test_client()
    assert client.get(CASE_PAGE).status_code == 200
    for lang in ("en", "zh"):
        (site.cases / f"2020-difficult/01-zhang.{lang}.md").unlink()
    load_content(session_factory(cases_app), site.content, site.cases)
    assert client.get(CASE_PAGE).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        f"{CASE_PAGE}?utm_source=x",  # any query string: never a new entry per variant
        "/feeds/en/cases.atom",
        "/en/debtors/",
        "/en/statistics/",
        "/api/v1/cases",
    ],
)
def test_what_depends_on_more_than_the_content_is_never_kept(cases_app: Flask, url: str) -> None:
    client = cases_app.test_client()
    assert client.get(url).status_code == 200
    with statements(cases_app) as seen:
        client.get(url)
    assert content_reads(seen), f"{url} was served from memory"


def test_the_page_cache_can_be_turned_off(make_app, site: SiteBuilder, sqlite_url: str) -> None:
    site.standard().standard_cases()
    app = make_app(sqlite_url, PAGE_CACHE_SIZE=0)
    client = app.test_client()
    client.get(CASE_PAGE)
    with statements(app) as seen:
        client.get(CASE_PAGE)
    assert content_reads(seen)


def test_the_generation_moves_only_when_a_load_changes_something(
    cases_app: Flask, site: SiteBuilder
) -> None:
    factory = session_factory(cases_app)
    with factory() as session:
        before = current_generation(session)
    assert before >= 1
    load_content(factory, site.content, site.cases)  # nothing changed
    with factory() as session:
        assert current_generation(session) == before
    site.release(2022, "new-report", "en", date="2022-02-01")
    load_content(factory, site.content, site.cases)
    with factory() as session:
        assert current_generation(session) == before + 1
        advance_generation(session, "other")
        session.commit()
        assert current_generation(session, "other") == 1
        assert current_generation(session) == before + 1


def test_a_generation_cache_forgets_everything_when_the_generation_moves() -> None:
    cache: GenerationCache[str] = GenerationCache(size=2)
    cache.put(1, "a", "A")
    cache.put(1, "b", "B")
    assert cache.get(1, "a") == "A"
    cache.put(1, "c", "C")  # over its size: the least recently used ("b") goes
    assert (cache.get(1, "a"), cache.get(1, "b"), cache.get(1, "c")) == ("A", None, "C")
    assert cache.get(2, "a") is None
    assert cache.get(1, "c") is None  # an older generation's values are gone too
    assert cache.get_or_compute(3, "d", lambda: "D") == "D"
    assert cache.get_or_compute(3, "d", lambda: "other") == "D"


@pytest.mark.parametrize(
    ("page", "pages", "expected"),
    [
        (1, 1, [1]),
        (1, 4, [1, 2, 3, 4]),
        (1, 200, [1, 2, 3, None, 200]),
        (100, 200, [1, None, 98, 99, 100, 101, 102, None, 200]),
        (4, 200, [1, 2, 3, 4, 5, 6, None, 200]),
        (200, 200, [1, None, 198, 199, 200]),
    ],
)
def test_pagination_links_the_ends_and_the_neighbourhood(
    page: int, pages: int, expected: list[int | None]
) -> None:
    assert page_numbers(page, pages) == expected


def test_a_long_listing_links_every_page_through_its_neighbours(
    make_app, site: SiteBuilder, sqlite_url: str
) -> None:
    site.standard().standard_cases()
    for number in range(3, 10):
        for lang in ("en", "zh"):
            site.case("2020-difficult", f"{number:02d}-extra", lang, number=number)
    app = make_app(sqlite_url, CASES_PAGE_SIZE=1)
    client = app.test_client()
    first = client.get("/en/cases/").get_data(as_text=True)
    assert 'href="/en/cases/page/3/"' in first
    assert 'href="/en/cases/page/5/"' not in first  # left out, with a gap...
    assert 'href="/en/cases/page/10/"' in first  # ...before the last page
    assert "pagination__gap" in first
    # Following "next" from the first page reaches every page once, in order.
    url: str | None = "/en/cases/"
    seen: list[str] = []
    while url:
        html = client.get(url).get_data(as_text=True)
        seen.append(url)
        before_next = html.split('rel="next"')[0] if 'rel="next"' in html else None
        url = before_next.rsplit('href="', 1)[1].split('"', 1)[0] if before_next else None
    assert seen == ["/en/cases/"] + [f"/en/cases/page/{n}/" for n in range(2, 11)]
