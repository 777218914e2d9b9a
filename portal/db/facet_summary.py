"""The case facets' summary: for each value of each facet, how many cases become public on
each day (`public_from`; none for a case public from the start). `sync_site` rebuilds it in the
load's transaction whenever a case changes, so a case listing sums a few hundred rows instead of
reading every case.

A case (one item, in whichever languages it is told) counts from the first day one of its
versions is public by `queries.published`: drafts never, a scheduled version from its
`publish_on`. Its versions agree on their facts (the content check), so one count serves both
languages. A preview, which also sees drafts, reads the cases themselves.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from portal.content.facets import CASE_FACETS
from portal.db.models import Case, CaseFacetCount, CaseMeasure
from portal.db.queries import first_public_days

# A case's facet values as a tuple, in CASE_FACETS order (one-valued facets only).
_ONE_VALUED = [facet for facet in CASE_FACETS.values() if not facet.many]


def rebuild_facet_summary(session: Session) -> None:
    """Count every case that is not a draft again, replacing the summary."""
    values: dict[tuple[str, str], tuple[Any, ...]] = {}
    ids: dict[int, tuple[str, str]] = {}
    days: list[tuple[tuple[str, str], dt.date | None]] = []
    columns = [getattr(Case, facet.attribute) for facet in _ONE_VALUED]
    rows = session.execute(
        select(Case.id, Case.collection, Case.slug, Case.publish_on, *columns).where(
            Case.draft.is_(False)
        )
    )
    for case_id, collection, slug, publish_on, *facts in rows:
        item = (collection, slug)
        ids[case_id] = item
        values[item] = tuple(facts)
        days.append((item, publish_on))
    first_day = first_public_days(days)
    counts: Counter[tuple[str, str, dt.date | None]] = Counter()
    for item, facts in values.items():
        for facet, value in zip(_ONE_VALUED, facts, strict=True):
            counts[(facet.name, str(value), first_day[item])] += 1
    measures = {(ids[case_id], measure) for case_id, measure in _measures(session, ids)}
    for item, measure in measures:
        counts[("measure", measure, first_day[item])] += 1
    session.execute(delete(CaseFacetCount))
    if counts:
        session.execute(
            insert(CaseFacetCount),
            [
                {"facet": facet, "value": value, "public_from": day, "cases": count}
                for (facet, value, day), count in counts.items()
            ],
        )


def _measures(session: Session, ids: dict[int, tuple[str, str]]) -> list[tuple[int, str]]:
    rows = session.execute(select(CaseMeasure.case_id, CaseMeasure.measure))
    return [(case_id, measure) for case_id, measure in rows if case_id in ids]
