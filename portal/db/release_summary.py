"""The press releases' summary: for each year, how many releases become public on each day
(`public_from`; none for a release public from the start). `sync_site` rebuilds it in the
load's transaction whenever a release changes, so the press listings sum a few rows a day
instead of reading and counting every release.

A release (one item, `year` and `slug`, in whichever languages it is told) counts from the
first day one of its versions is public by `queries.published`: drafts never, a scheduled
version from its `publish_on`. A preview, which also sees drafts, counts the releases themselves.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from portal.db.models import PressRelease, ReleaseYearCount
from portal.db.queries import first_public_days


def rebuild_release_summary(session: Session) -> None:
    """Count every release that is not a draft again, replacing the summary."""
    rows = session.execute(
        select(PressRelease.year, PressRelease.slug, PressRelease.publish_on).where(
            PressRelease.draft.is_(False)
        )
    )
    first_day = first_public_days(((year, slug), publish_on) for year, slug, publish_on in rows)
    counts: Counter[tuple[int, dt.date | None]] = Counter(
        (year, day) for (year, _slug), day in first_day.items()
    )
    session.execute(delete(ReleaseYearCount))
    if counts:
        session.execute(
            insert(ReleaseYearCount),
            [
                {"year": year, "public_from": day, "releases": count}
                for (year, day), count in counts.items()
            ],
        )
