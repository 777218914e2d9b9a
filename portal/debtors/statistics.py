"""Aggregates of the list of dishonest persons subject to enforcement: how many records are
listed now, by court, kind of debtor, circumstance and month of publication. Counts only; no
record of any person or organisation ever leaves through here."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import String, Text, cast, exists, func, literal, select, union_all
from sqlalchemy.orm import Session

from portal.db.models import DebtorRecord
from portal.debtors.lookup import court_today, listed_on
from portal.debtors.records import CIRCUMSTANCE_NAMES, KIND_NAMES

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


def has_listed_records(session: Session) -> bool:
    """Whether any record is listed today."""
    return bool(session.scalar(select(exists().where(listed_on(court_today())))))


def _grouped_counts(session: Session) -> list[tuple[str, str, int]]:
    """(group, value as text, records) of the listed records by court, by kind, by their list
    of circumstances and by day of publication: counted by the database in one statement, so a
    large register sends back a few hundred rows, not every record."""
    listed = listed_on(court_today())
    groups = {
        "court": DebtorRecord.court,
        "kind": DebtorRecord.kind,
        "circumstances": cast(DebtorRecord.circumstances, Text),
        "day": cast(DebtorRecord.published_on, String),
    }
    parts = [
        select(literal(name).label("name"), cast(value, Text), func.count())
        .where(listed)
        .group_by(value)
        for name, value in groups.items()
    ]
    return [(name, value, count) for name, value, count in session.execute(union_all(*parts))]


def register_aggregates(session: Session) -> list[AggregateRow]:
    """The live aggregates of the listed records, under the same rule as the lookup."""
    counts: dict[str, Counter[str]] = {dimension: Counter() for dimension in DIMENSIONS}
    for group, value, count in _grouped_counts(session):
        if group == "circumstances":
            for circumstance in json.loads(value):
                counts["circumstance"][circumstance] += count
        elif group == "day":
            counts["month"][value[:7]] += count  # YYYY-MM-DD
        else:
            counts[group][value] += count
    names = {"kind": KIND_NAMES, "circumstance": CIRCUMSTANCE_NAMES}
    rows = []
    for dimension in DIMENSIONS:
        ordered = sorted(counts[dimension].items(), key=lambda item: (-item[1], item[0]))
        if dimension == "month":
            ordered.sort()
        for key, count in ordered:
            label = names.get(dimension, {}).get(key, {"en": key, "zh": key})
            rows.append(AggregateRow(dimension, key, label["en"], label["zh"], count))
    return rows
