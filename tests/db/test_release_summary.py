"""The press releases' summary, on SQLite and PostgreSQL: the years a press listing reads from
it, and its totals, are what the releases themselves count under the publication rule, whatever
the drafts, scheduled versions and single-language releases, on any day; a load keeps it up to
date, a preview still counts drafts, and migration 0019 counts the releases already loaded."""

from __future__ import annotations

import datetime as dt

import pytest
from alembic import command
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Boolean, Date, Engine, bindparam, delete, event, text
from sqlalchemy.orm import Session, sessionmaker

from portal.db import queries
from portal.db.court_day import court_today
from portal.db.engine import alembic_config, make_session_factory, upgrade_schema
from portal.db.load import load_content
from portal.db.models import PressRelease
from portal.db.queries import (
    PREVIEW_KEY,
    release_years,
    release_years_of_releases,
    releases_page,
)
from portal.db.release_summary import rebuild_release_summary
from tests.support.site import SiteBuilder
from tests.support.summary_checks import SUMMARY_EXAMPLES, court_days_around

DAY = dt.date(2026, 6, 1)
# A version's state: absent, a draft, public, or scheduled this many days from DAY.
VERSION = st.one_of(st.just("absent"), st.just("draft"), st.just("public"), st.integers(-3, 3))
ITEM = st.fixed_dictionaries(
    {"en": VERSION, "zh": VERSION, "year": st.sampled_from([2020, 2024, 2026])}
)
TODAY = court_today()
TOMORROW = TODAY + dt.timedelta(days=1)


def store(session: Session, items: list[dict]) -> None:
    """Write the items' versions as the load would, then rebuild the summary."""
    session.execute(delete(PressRelease))
    for number, item in enumerate(items, 1):
        for lang in ("en", "zh"):
            state = item[lang]
            if state == "absent":
                continue
            session.add(
                PressRelease(
                    year=item["year"], slug=f"release-{number}", lang=lang,
                    title=f"Release {number}", date=dt.date(item["year"], 1, 15), summary="",
                    body_html="", source_path=f"{number}.{lang}", source_hash="h",
                    draft=state == "draft",
                    publish_on=DAY + dt.timedelta(days=state) if isinstance(state, int) else None,
                )
            )  # fmt: skip
    session.flush()
    rebuild_release_summary(session)


def listing_totals(session: Session, lang: str) -> dict[int | None, int]:
    """Each listing's total (all years: None) next to how many releases it actually lists."""
    years = release_years(session)
    checked = {}
    for year in [None, *dict(years), 1999]:
        result = releases_page(session, lang, 1, 1000, year=year, years=years)
        assert result.total == len(result.items), (lang, year)
        checked[year] = result.total
    return checked


@SUMMARY_EXAMPLES
@given(items=st.lists(ITEM, max_size=8))
def test_the_summary_counts_what_the_releases_count_on_every_day(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, items: list[dict]
) -> None:
    factory = make_session_factory(engine)
    with factory.begin() as session:
        store(session, items)
        for today in court_days_around(monkeypatch, DAY):
            assert release_years(session) == release_years_of_releases(session), today
            for lang in ("en", "zh"):
                listing_totals(session, lang)


def summary_and_count(factory: sessionmaker[Session]) -> list[tuple[int, int]]:
    """The years from the summary, after checking that they are the releases' own count."""
    with factory() as session:
        years = release_years(session)
        assert years == release_years_of_releases(session)
        return years


def test_a_load_keeps_the_summary_as_releases_are_added_changed_and_removed(
    factory: sessionmaker[Session], site: SiteBuilder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(queries, "court_today", lambda: DAY)

    def load() -> list[tuple[int, int]]:
        load_content(factory, site.content, site.cases)
        return summary_and_count(factory)

    site.release(2021, "first")
    site.release(2021, "second")
    site.release(2022, "third")
    assert load() == [(2022, 1), (2021, 2)]
    site.release(2021, "first", lang="zh")  # a Chinese version: still one release
    assert load() == [(2022, 1), (2021, 2)]
    site.release(2022, "hidden", draft=True)
    assert load() == [(2022, 1), (2021, 2)]
    site.release(2022, "hidden")  # the draft made public
    assert load() == [(2022, 2), (2021, 2)]
    site.release(DAY.year, "moved", date=(DAY - dt.timedelta(days=30)).isoformat())
    assert load() == [(DAY.year, 1), (2022, 2), (2021, 2)]
    site.release(DAY.year, "moved", date=(DAY + dt.timedelta(days=30)).isoformat())
    assert load() == [(2022, 2), (2021, 2)]  # its day moved past today: not public yet
    (site.content / "press/2022/third.en.md").unlink()
    (site.content / "press/2021/first.en.md").unlink()  # its Chinese version stays
    assert load() == [(2022, 1), (2021, 2)]
    (site.content / "press/2021/first.zh.md").unlink()
    assert load() == [(2022, 1), (2021, 1)]


def test_a_scheduled_release_counts_on_its_day_and_a_draft_never(
    factory: sessionmaker[Session], site: SiteBuilder, monkeypatch: pytest.MonkeyPatch
) -> None:
    site.release(2021, "public")
    site.release(2021, "hidden", draft=True)
    site.release(TOMORROW.year, "tomorrow", date=TOMORROW.isoformat())
    load_content(factory, site.content, site.cases)
    assert summary_and_count(factory) == [(2021, 1)]
    monkeypatch.setattr(queries, "court_today", lambda: TOMORROW)
    assert summary_and_count(factory) == sorted({TOMORROW.year: 1, 2021: 1}.items(), reverse=True)
    with factory() as session:
        assert releases_page(session, "en", 1, 20).total == 2
        assert releases_page(session, "en", 1, 20, year=TOMORROW.year).total == 1


def test_a_preview_counts_the_releases_drafts_and_all(
    factory: sessionmaker[Session], site: SiteBuilder
) -> None:
    site.release(2021, "public")
    site.release(2021, "hidden", draft=True)
    site.release(TOMORROW.year, "tomorrow", date=TOMORROW.isoformat())
    load_content(factory, site.content, site.cases)
    with factory() as session:
        session.info[PREVIEW_KEY] = True
        expected = sorted({TOMORROW.year: 1, 2021: 2}.items(), reverse=True)
        assert release_years(session) == expected
        assert releases_page(session, "en", 1, 20).total == 3
        assert len(releases_page(session, "en", 1, 20).items) == 3


def test_the_press_listings_count_from_the_summary_not_the_releases(
    engine: Engine, factory: sessionmaker[Session], site: SiteBuilder
) -> None:
    for slug in ("first", "second", "third"):
        site.release(2021, slug)
        site.release(2021, slug, lang="zh")
    load_content(factory, site.content, site.cases)
    seen: list[str] = []

    def note(_conn, _cursor, statement, _parameters, _context, _many) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    try:
        with factory() as session:
            for year in (None, 2021):
                years = release_years(session)
                assert releases_page(session, "en", 1, 2, year=year, years=years).total == 3
    finally:
        event.remove(engine, "before_cursor_execute", note)
    reading_releases = [statement for statement in seen if "press_releases" in statement]
    # Only the pages' own listings (LIMIT 2) read the releases; the years and totals do not.
    assert len(reading_releases) == 2, seen
    assert all("LIMIT" in statement for statement in reading_releases), reading_releases
    assert sum("release_year_counts" in statement for statement in seen) == 2, seen


# The releases as migration 0018 left them; each version is (slug, lang, draft, publish_on).
INSERT_RELEASE = text(
    "INSERT INTO press_releases (year, slug, lang, title, date, summary, body_html, tags,"
    " collections, sample_translation, source_path, source_hash, created_at, updated_at, draft,"
    " publish_on) VALUES (2021, :slug, :lang, 'T', '2021-01-15', 'S', '', '[]', '[]', false,"
    " :path, 'h', '2021-01-15 00:00:00', '2021-01-15 00:00:00', :draft, :publish_on)"
).bindparams(bindparam("draft", type_=Boolean), bindparam("publish_on", type_=Date))
OLD_VERSIONS = [
    ("a", "en", False, dt.date(2021, 1, 15)), ("a", "zh", False, dt.date(2021, 1, 10)),
    ("b", "en", True, dt.date(2021, 2, 1)), ("c", "en", False, None),
    ("d", "zh", False, dt.date(2099, 1, 1)),
]  # fmt: skip


def test_migration_0019_counts_the_releases_already_loaded(engine_for, database_url: str) -> None:
    engine = engine_for(database_url)
    command.upgrade(alembic_config(engine), "0018_facet_listing_order")
    with engine.begin() as connection:
        for slug, lang, draft, publish_on in OLD_VERSIONS:
            path = f"press/2021/{slug}.{lang}.md"
            values = {"slug": slug, "lang": lang, "draft": draft, "publish_on": publish_on}
            connection.execute(INSERT_RELEASE, {**values, "path": path})
    upgrade_schema(engine)
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT year, public_from, releases FROM release_year_counts")
        ).all()
    # "a" from its earlier version's day, "c" from the start, "d" on its day; "b" a draft.
    assert sorted((year, str(day), count) for year, day, count in rows) == [
        (2021, "2021-01-10", 1),
        (2021, "2099-01-01", 1),
        (2021, "None", 1),
    ]
    with make_session_factory(engine)() as session:
        assert release_years(session) == release_years_of_releases(session) == [(2021, 2)]
