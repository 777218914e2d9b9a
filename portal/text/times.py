"""How the data gives a moment: ISO 8601 in UTC to the second, `Z` for UTC
(2026-12-05T13:22:25Z). A database keeps microseconds; no reader needs them."""

from __future__ import annotations

import datetime as dt


def data_time(value: dt.datetime) -> str:
    """`value` as the downloads, the API and the static copy's files give a moment; a naive
    value is UTC (SQLite gives back naive datetimes; the portal stores UTC)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    moment = value.astimezone(dt.UTC).replace(microsecond=0)
    return moment.isoformat().replace("+00:00", "Z")
