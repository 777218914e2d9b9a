"""How the data gives a moment: UTC, to the second, with Z."""

from __future__ import annotations

import datetime as dt

from portal.text.times import data_time


def test_a_moment_is_given_in_utc_to_the_second() -> None:
    shanghai = dt.timezone(dt.timedelta(hours=8))
    assert data_time(dt.datetime(2025, 6, 1, 8, 0, 5, 999999, tzinfo=shanghai)) == (
        "2025-06-01T00:00:05Z"
    )


def test_a_naive_moment_from_sqlite_is_utc() -> None:
    assert data_time(dt.datetime(2025, 6, 1, 0, 0, 5, 123456)) == "2025-06-01T00:00:05Z"
