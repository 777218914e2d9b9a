"""Aggregates of the list of dishonest persons subject to enforcement: how many records are
listed now, by court, kind of debtor, circumstance and month of publication. Counts only; no
record of any person or organisation ever leaves through here.

This is the hook the debtor register plugs into: its code replaces the body of
`register_aggregates` with queries on its own tables. Until then the register does not exist,
there is nothing to count, and the statistics page, the catalogue and the downloads leave the
register out.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

# What the listed records are counted by, in the order the statistics page shows them.
DIMENSIONS = ("court", "kind", "circumstance", "month")


@dataclass(frozen=True)
class AggregateRow:
    """How many records are listed now with one value of one dimension."""

    dimension: str  # one of DIMENSIONS
    key: str  # a court key, a kind, a circumstance or a month as YYYY-MM
    label_en: str
    label_zh: str
    listed_records: int


def register_aggregates(session: Session) -> list[AggregateRow]:
    """The live aggregates of the debtor register; empty while there is no register."""
    del session  # the debtor register's queries go here
    return []
