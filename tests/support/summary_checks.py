"""What the summaries' tests share: the courts' today moved through the days around a
summary's publication days, and how many random sites a property test tries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, settings

from portal.db import queries

# Days around a test's publication day: before, the day before, the day, after, long after.
OFFSETS = (-4, -1, 0, 1, 4)
# Each example is a database's worth of rows: fewer than Hypothesis's default, no deadline,
# and the database fixture is shared by the examples (each test clears what it stored).
SUMMARY_EXAMPLES = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def court_days_around(monkeypatch: pytest.MonkeyPatch, day: dt.date) -> Iterator[dt.date]:
    """Each day around `day`, the queries' courts' today while the caller checks it."""
    for offset in OFFSETS:
        today = day + dt.timedelta(days=offset)
        monkeypatch.setattr(queries, "court_today", lambda today=today: today)
        yield today
