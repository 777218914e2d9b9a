"""Listings are read off an index in their own order: a page of cases (all of them, or one
court's, cause's or category's; a year's press releases) stops at its last item instead of
sorting every item first, so its cost does not grow with the number of items."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import Engine, event
from sqlalchemy.orm import Session, sessionmaker

from portal.db.engine import make_engine, make_session_factory, upgrade_schema
from portal.db.load import load_content
from portal.db.queries import cases_page, releases_page
from tests.support.site import SiteBuilder


def loaded_engine(sqlite_url: str, site: SiteBuilder) -> tuple[Engine, sessionmaker[Session]]:
    # SQLite's plan is fixed by its indexes whatever the table's size; PostgreSQL chooses by
    # its statistics, so a tiny test table tells nothing about it.
    engine = make_engine(sqlite_url)
    upgrade_schema(engine)
    factory = make_session_factory(engine)
    load_content(factory, site.content, site.cases)
    return engine, factory


def plan_of(engine: Engine, ordered_by: str, run: Callable[[], object]) -> str:
    """SQLite's plan of the one statement `run` sends that orders by `ordered_by`."""
    seen: list[tuple[str, object]] = []

    def note(_connection, _cursor, statement, parameters, *_rest) -> None:
        seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", note)
    run()
    event.remove(engine, "before_cursor_execute", note)
    listing = [(s, p) for s, p in seen if f"ORDER BY {ordered_by}" in s]
    assert len(listing) == 1
    statement, parameters = listing[0]
    with engine.connect() as connection:
        return " | ".join(
            row[-1]
            for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
        )


@pytest.mark.parametrize(
    ("facet", "value"),
    [(None, None), ("court", "minhang-district"), ("cause", "private-lending"),
     ("category", "difficult-enforcement")],
)  # fmt: skip
def test_a_page_of_a_listing_is_read_in_order_not_sorted(
    sqlite_url: str, site: SiteBuilder, facet: str | None, value: str | None
) -> None:
    site.standard().standard_cases()
    engine, factory = loaded_engine(sqlite_url, site)
    pages = []

    def run() -> None:
        with factory() as session:
            pages.append(cases_page(session, "en", 1, 2, facet, value))

    plan = plan_of(engine, "cases.year DESC", run)
    assert pages[0].items, "the listing shows cases"
    assert "TEMP B-TREE" not in plan, plan
    assert "listing_order" in plan, plan


def test_a_page_of_a_years_press_releases_is_read_in_order_not_sorted(
    sqlite_url: str, site: SiteBuilder
) -> None:
    site.standard()
    for number in range(3):
        site.release(2021, f"more-news-{number}", "en", date=f"2021-0{number + 2}-01")
    engine, factory = loaded_engine(sqlite_url, site)
    pages = []

    def run() -> None:
        with factory() as session:
            pages.append(releases_page(session, "en", 1, 2, year=2021))

    plan = plan_of(engine, "press_releases.date DESC", run)
    assert [release.slug for release in pages[0].items] == ["more-news-2", "more-news-1"]
    assert pages[0].total == 4
    assert "TEMP B-TREE" not in plan, plan
    assert "ix_press_releases_year_listing_order" in plan, plan
