"""Aggregates of the list of dishonest persons subject to enforcement: how many records are
listed now, by court, kind of debtor, circumstance and month of publication. Counts only; no
record of any person or organisation ever leaves through here."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select
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


def register_aggregates(session: Session) -> list[AggregateRow]:
    """The live aggregates of the listed records, under the same rule as the lookup."""
    query = select(
        DebtorRecord.court, DebtorRecord.kind, DebtorRecord.circumstances, DebtorRecord.published_on
    ).where(listed_on(court_today()))
    counts: dict[str, Counter[str]] = {dimension: Counter() for dimension in DIMENSIONS}
    for court, kind, circumstances, published_on in session.execute(query):
        counts["court"][court] += 1
        counts["kind"][kind] += 1
        counts["circumstance"].update(circumstances)
        counts["month"][published_on.strftime("%Y-%m")] += 1
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
