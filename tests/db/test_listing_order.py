"""Listings are read off an index in their own order: a page of cases (all of them, or one
court's, cause's or category's) stops at its last case instead of sorting every case first,
so its cost does not grow with the number of cases."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from portal.db.engine import make_engine, make_session_factory, upgrade_schema
from portal.db.load import load_content
from portal.db.queries import cases_page, releases_page
from tests.support.site import SiteBuilder


@pytest.mark.parametrize(
    ("facet", "value"),
    [(None, None), ("court", "minhang-district"), ("cause", "private-lending"),
     ("category", "difficult-enforcement")],
)  # fmt: skip
def test_a_page_of_a_listing_is_read_in_order_not_sorted(
    sqlite_url: str, site: SiteBuilder, facet: str | None, value: str | None
) -> None:
    # SQLite's plan is fixed by its indexes whatever the table's size; PostgreSQL chooses by
    # its statistics, so a tiny test table tells nothing about it.
    engine = make_engine(sqlite_url)
    upgrade_schema(engine)
    factory = make_session_factory(engine)
    load_content(factory, site.standard().standard_cases().content, site.cases)
    seen: list[tuple[str, object]] = []

    def note(_connection, _cursor, statement, parameters, *_rest) -> None:
        seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", note)
    with factory() as session:
        page = cases_page(session, "en", 1, 2, facet, value)
    assert page.items, "the listing shows cases"
    listing = [(s, p) for s, p in seen if "ORDER BY cases.year DESC" in s]
    assert len(listing) == 1
    statement, parameters = listing[0]
    with engine.connect() as connection:
        plan = " | ".join(
            row[-1]
            for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
        )
    assert "TEMP B-TREE" not in plan, plan
    assert "listing_order" in plan, plan


def test_a_page_of_a_years_press_releases_is_read_in_order_not_sorted(
    sqlite_url: str, site: SiteBuilder
) -> None:
    engine = make_engine(sqlite_url)
    upgrade_schema(engine)
    factory = make_session_factory(engine)
    site.standard()
    for number in range(3):
        site.release(2021, f"more-news-{number}", "en", date=f"2021-0{number + 2}-01")
    load_content(factory, site.content, site.cases)
    seen: list[tuple[str, object]] = []

    def note(_connection, _cursor, statement, parameters, *_rest) -> None:
        seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", note)
    with factory() as session:
        page = releases_page(session, "en", 1, 2, year=2021)
    assert [release.slug for release in page.items] == ["more-news-2", "more-news-1"]
    assert page.total == 4
    listing = [(s, p) for s, p in seen if "ORDER BY press_releases.date DESC" in s]
    assert len(listing) == 1
    statement, parameters = listing[0]
    with engine.connect() as connection:
        plan = " | ".join(
            row[-1]
            for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
        )
    assert "TEMP B-TREE" not in plan, plan
    assert "ix_press_releases_year_listing_order" in plan, plan
