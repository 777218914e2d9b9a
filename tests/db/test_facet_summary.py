"""The case facets' summary, on SQLite and PostgreSQL: the counts a listing reads from it are
the counts of the cases themselves under the publication rule, whatever the drafts, scheduled
versions, single-language cases and measures, on any day; and a load keeps it up to date."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine, delete
from sqlalchemy.orm import Session

from portal.db.engine import make_session_factory, upgrade_schema
from portal.db.facet_summary import rebuild_facet_summary
from portal.db.load import load_content
from portal.db.models import Case, CaseMeasure
from portal.db.queries import facet_counts, facet_counts_of_cases
from tests.support.site import SiteBuilder
from tests.support.summary_checks import SUMMARY_EXAMPLES, court_days_around

DAY = dt.date(2026, 6, 1)
# A version's state: absent, a draft, public, or scheduled this many days from DAY.
VERSION = st.one_of(st.just("absent"), st.just("draft"), st.just("public"), st.integers(-3, 3))
ITEM = st.fixed_dictionaries({
    "en": VERSION,
    "zh": VERSION,
    "court": st.sampled_from(["a-court", "b-court"]),
    "cause": st.sampled_from(["loan", "labour", "sale"]),
    "year": st.sampled_from([2020, 2024]),
    "measures": st.lists(st.sampled_from(["detention", "fine", "freeze"]), unique=True),
})  # fmt: skip


@pytest.fixture
def engine(engine_for, database_url: str) -> Engine:
    made = engine_for(database_url)
    upgrade_schema(made)
    return made


def store(session: Session, items: list[dict]) -> None:
    """Write the items' versions as the load would, then rebuild the summary."""
    session.execute(delete(CaseMeasure))
    session.execute(delete(Case))
    for number, item in enumerate(items, 1):
        for lang in ("en", "zh"):
            state = item[lang]
            if state == "absent":
                continue
            case = Case(
                collection="c", slug=f"case-{number}", lang=lang, number=number,
                title=f"Case {number}", parties="", court=item["court"], cause=item["cause"],
                category="cat", year=item["year"], body_html="", source_path=f"{number}.{lang}",
                source_hash="h", draft=state == "draft",
                publish_on=DAY + dt.timedelta(days=state) if isinstance(state, int) else None,
            )  # fmt: skip
            case.measure_rows = [CaseMeasure(measure=m) for m in item["measures"]]
            session.add(case)
    session.flush()
    rebuild_facet_summary(session)


@SUMMARY_EXAMPLES
@given(items=st.lists(ITEM, max_size=8))
def test_the_summary_counts_what_the_cases_count_on_every_day(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, items: list[dict]
) -> None:
    factory = make_session_factory(engine)
    with factory.begin() as session:
        store(session, items)
        for today in court_days_around(monkeypatch, DAY):
            for lang in ("en", "zh"):
                assert facet_counts(session, lang) == facet_counts_of_cases(session, lang), (
                    today,
                    lang,
                )


def test_a_load_counts_a_new_case_and_forgets_a_removed_one(
    engine: Engine, site: SiteBuilder
) -> None:
    factory = make_session_factory(engine)

    def courts() -> dict:
        with factory() as session:
            return dict(facet_counts(session, "en")["court"])

    site.collection("loans")
    site.case("loans", "01-one")
    load_content(factory, site.content, site.cases)
    assert courts() == {"minhang-district": 1}
    site.case("loans", "02-two")
    load_content(factory, site.content, site.cases)
    assert courts() == {"minhang-district": 2}
    (site.cases / "loans" / "01-one.en.md").unlink()
    load_content(factory, site.content, site.cases)
    assert courts() == {"minhang-district": 1}
