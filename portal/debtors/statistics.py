"""Aggregates of the list of dishonest persons subject to enforcement: how many records are
listed now, by court, kind of debtor, circumstance and month of publication. Counts only; no
record of any person or organisation ever leaves through here. They are read from the
register's summary (portal/db/register_summary.py), never from the records.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from sqlalchemy.orm import Session

from portal.db.register_summary import listed_counts
from portal.debtors.courts import court_labels
from portal.debtors.lookup import court_today
from portal.debtors.records import CIRCUMSTANCE_NAMES, KIND_NAMES
from portal.text.names import name_key

# What the listed records are counted by, in the order the statistics page shows them.
DIMENSIONS = ("court", "kind", "circumstance", "month")


@dataclass(frozen=True)
class AggregateRow:
    """How many records are listed now with one value of one dimension."""

    dimension: str  # one of DIMENSIONS
    key: str  # a court, a kind, a circumstance or a month as YYYY-MM
    label_en: str
    label_zh: str
    listed_records: int


def has_listed_records(session: Session, today: dt.date | None = None) -> bool:
    """Whether any record is listed today (a few hundred rows of the summary, by kind)."""
    counts = listed_counts(session, today or court_today(), "kind")
    return any(count > 0 for count in counts.values())


def first_listed_month(session: Session, today: dt.date | None = None) -> dt.date | None:
    """The first day of the earliest month of publication of a record listed today."""
    counts = listed_counts(session, today or court_today(), "month")
    months = [month for (_, month), count in counts.items() if count > 0]
    return dt.date.fromisoformat(min(months) + "-01") if months else None


def register_aggregates(session: Session, today: dt.date | None = None) -> list[AggregateRow]:
    """The aggregates of the records listed today, under the same rule as the lookup."""
    counts: dict[str, Counter[str]] = {dimension: Counter() for dimension in DIMENSIONS}
    for (dimension, value), count in listed_counts(session, today or court_today()).items():
        if count > 0:
            counts[dimension][value] = count
    names = {"kind": KIND_NAMES, "circumstance": CIRCUMSTANCE_NAMES}
    courts = court_labels(session)
    rows = []
    for dimension in DIMENSIONS:
        ordered = sorted(counts[dimension].items(), key=lambda item: (-item[1], item[0]))
        if dimension == "month":
            ordered.sort()
        for key, count in ordered:
            label = names.get(dimension, {}).get(key, {"en": key, "zh": key})
            if dimension == "court":
                # A court the vocabulary does not know keeps the register's own name.
                label = {"en": key, "zh": key} | courts.get(name_key(key), {})
            rows.append(AggregateRow(dimension, key, label["en"], label["zh"], count))
    return rows
