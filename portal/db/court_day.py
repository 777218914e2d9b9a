"""The courts' calendar day: what "today" means for the debtor list and for publication."""

from __future__ import annotations

import datetime as dt

# The courts are in China, which keeps UTC+8 all year: a fixed offset needs no time-zone data.
COURT_TIMEZONE = dt.timezone(dt.timedelta(hours=8), "UTC+8")


def court_today(now: dt.datetime | None = None) -> dt.date:
    """Today's date where the courts are."""
    return (now or dt.datetime.now(dt.UTC)).astimezone(COURT_TIMEZONE).date()


def start_of_court_day(day: dt.date) -> dt.datetime:
    """The moment (in UTC) a day begins where the courts are: when an item dated `day` goes
    public."""
    return dt.datetime.combine(day, dt.time(), COURT_TIMEZONE).astimezone(dt.UTC)
