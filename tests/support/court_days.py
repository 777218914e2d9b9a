"""The courts' today moved through the days around a summary's publication days."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from portal.db import queries

# Days around a test's publication day: before, the day before, the day, after, long after.
OFFSETS = (-4, -1, 0, 1, 4)


def court_days_around(monkeypatch: pytest.MonkeyPatch, day: dt.date) -> Iterator[dt.date]:
    """Each day around `day`, the queries' courts' today while the caller checks it."""
    for offset in OFFSETS:
        today = day + dt.timedelta(days=offset)
        monkeypatch.setattr(queries, "court_today", lambda today=today: today)
        yield today
