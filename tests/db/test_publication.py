"""The one publication rule of portal/db/queries.py, the columns that feed it (migration 0012)
and what a load records when an item becomes a draft or leaves draft."""

from __future__ import annotations

import datetime as dt

import pytest
from alembic import command
from sqlalchemy import select, text
from sqlalchemy.exc import StatementError

from portal.db import queries
from portal.db.court_day import court_today, start_of_court_day
from portal.db.engine import alembic_config, make_session_factory, upgrade_schema
from portal.db.load import load_content
from portal.db.models import Case, Collection, Page, PressRelease, Removal
from tests.support.site import SiteBuilder

TODAY = court_today()
LATER = TODAY + dt.timedelta(days=3)


def test_the_court_day_turns_at_midnight_in_china() -> None:
    assert court_today(dt.datetime(2026, 12, 24, 15, 59, tzinfo=dt.UTC)) == dt.date(2026, 12, 24)
    assert court_today(dt.datetime(2026, 12, 24, 16, 0, tzinfo=dt.UTC)) == dt.date(2026, 12, 25)
    assert start_of_court_day(dt.date(2026, 12, 25)) == dt.datetime(
        2026, 12, 24, 16, 0, tzinfo=dt.UTC
    )


@pytest.fixture
def loaded(site: SiteBuilder, engine_for, database_url: str):
    """A site with a public, a draft and a scheduled item of each kind, loaded."""
    engine = engine_for(database_url)
    upgrade_schema(engine)
    factory = make_session_factory(engine)
    site.release(2021, "public")
    site.release(2021, "hidden", draft=True)
    site.release(LATER.year, "later", date=LATER.isoformat())
    site.page("about")
    site.page("licence", draft=True)
    site.page("rules", publish_on=LATER)
    site.collection("2020-public")
    site.case("2020-public", "01-public")
    site.case("2020-public", "02-hidden", draft=True)
    site.case("2020-public", "03-later", publish_on=LATER)
    site.collection("2021-hidden", draft=True)
    site.case("2021-hidden", "01-inherits")
    load_content(factory, site.content, site.cases)
    return factory


def test_each_kind_is_public_unless_a_draft_or_before_its_day(loaded) -> None:
    with loaded() as session:
        rule = queries.publication(session)
        public = {
            model.__tablename__: sorted(
                row.item_key
                for row in session.scalars(select(model).where(queries.published(model)), rule)
            )
            for model in (PressRelease, Page, Collection, Case)
        }
        # The Python reading of the rule (for a preview's marks) agrees with the statement's.
        for model in (PressRelease, Page, Collection, Case):
            for row in session.scalars(select(model)):
                shown = row.item_key in public[model.__tablename__]
                assert (queries.unpublished_state(row) is None) == shown, row.item_key
    assert public == {
        "press_releases": ["2021/public"],
        "pages": ["about"],
        "collections": ["2020-public"],
        "cases": ["2020-public/01-public"],
    }


def test_on_its_day_a_scheduled_item_is_public(loaded) -> None:
    with loaded() as session:
        on_the_day = queries.publication(session, today=LATER)
        rows = session.scalars(select(Page.slug).where(queries.published(Page)), on_the_day)
        assert sorted(rows) == ["about", "rules"]


def test_a_statement_with_the_rule_cannot_run_without_its_values(loaded) -> None:
    with (
        loaded() as session,
        pytest.raises(StatementError, match=r"bind parameter '(today|preview)'"),
    ):
        session.scalars(select(Page).where(queries.published(Page))).all()


def test_a_preview_session_sees_every_item(loaded) -> None:
    with loaded(info={queries.PREVIEW_KEY: True}) as session:
        assert len(queries.page_versions(session, "licence")) == 1
        assert queries.release_items(session).total == 3
        assert queries.case_items(session).total == 4


def test_figures_are_public_with_the_release_they_quote(
    site: SiteBuilder, engine_for, database_url: str
) -> None:
    engine = engine_for(database_url)
    upgrade_schema(engine)
    factory = make_session_factory(engine)
    site.statistics()
    load_content(factory, site.content, site.cases)
    with factory() as session:
        assert len(queries.statistic_figures(session)) == 5
    for lang in ("en", "zh"):
        path = site.content / "press" / "2021" / f"work-report.{lang}.md"
        path.write_text(path.read_text("utf-8").replace("---\n", "---\ndraft: true\n", 1), "utf-8")
    load_content(factory, site.content, site.cases)
    with factory() as session:
        assert queries.statistic_figures(session) == []


def test_making_an_item_a_draft_removes_it_from_the_changes_and_back_adds_it(
    site: SiteBuilder, engine_for, database_url: str
) -> None:
    engine = engine_for(database_url)
    upgrade_schema(engine)
    factory = make_session_factory(engine)
    site.release(2021, "report")
    load_content(factory, site.content, site.cases)
    start = dt.datetime.now(dt.UTC)
    site.release(2021, "report", draft=True)
    load_content(factory, site.content, site.cases)
    with factory() as session:
        (removal,) = session.scalars(select(Removal)).all()
        assert (removal.kind, removal.key, removal.lang) == ("press-release", "2021/report", "en")
        assert [c[3] for c in queries.changes_since(session, start)] == ["removed"]
    again = dt.datetime.now(dt.UTC)
    site.release(2021, "report")
    load_content(factory, site.content, site.cases)
    with factory() as session:
        assert [c[3] for c in queries.changes_since(session, again)] == ["added"]


def test_migration_0012_publishes_existing_releases_on_their_date(
    engine_for, database_url: str
) -> None:
    engine = engine_for(database_url)
    command.upgrade(alembic_config(engine), "0010_static_lookup_by_name")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO press_releases (year, slug, lang, title, date, summary, body_html,"
                " tags, collections, sample_translation, source_path, source_hash, created_at,"
                " updated_at) VALUES (2021, 'r', 'en', 'T', '2021-01-15', 'S', '', '[]', '[]',"
                " false, 'press/2021/r.en.md', 'h', '2021-01-15 00:00:00',"
                " '2021-01-15 00:00:00')"
            )
        )
    command.upgrade(alembic_config(engine), "0012_drafts")
    with engine.connect() as connection:
        row = connection.execute(text("SELECT draft, publish_on FROM press_releases")).one()
    assert (bool(row.draft), str(row.publish_on)) == (False, "2021-01-15")
