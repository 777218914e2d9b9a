"""The register's summary: for each value of each dimension of the register statistics (court,
kind, circumstance, month of publication), how many records not removed become listed on each
day (`starting`, on `published_on`) and are listed for the last time (`ending`, on
`listed_until`). It is kept in the same transactions as the writes to the register (the import
and `delist`, through `RegisterChanges`), so the statistics read it instead of the records.

A record is listed on day T when it is not removed and published_on <= T <= listed_until (the
lookup's rule, `listed_on`), so the records listed on T are the sum of `starting` up to T less
the sum of `ending` before T: a record's expiry applies the day after its last day, without any
write. The months before T's month are read as one row a month, T's month day by day, so a read
sums a few thousand rows however large the register.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, Table, case, func, select, union_all
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from portal.db.models import DebtorRecord, RegisterDayCount, RegisterMonthCount

DAYS = RegisterDayCount.__table__
MONTHS = RegisterMonthCount.__table__
# What a record is counted by, as RegisterChanges.count takes it.
COUNTED = (
    DebtorRecord.court, DebtorRecord.kind, DebtorRecord.circumstances,
    DebtorRecord.published_on, DebtorRecord.listed_until, DebtorRecord.removed_on,
)  # fmt: skip
COUNTS = ("starting", "ending")  # the summary's numbers, added to by each write
# Records read at a time when the summary is filled from the register (the migration).
FILL_BATCH = 10_000


# A record as RegisterChanges counts it: court, kind, circumstances, published_on, listed_until,
# removed_on (the values of COUNTED).
Counted = Sequence[Any]


class RegisterChanges:
    """Changes to the summary, gathered in memory while records are written and added to it at
    once by `apply`, in the same transaction as the records."""

    def __init__(self) -> None:
        self.starting: Counter[tuple[dt.date, str, str]] = Counter()
        self.ending: Counter[tuple[dt.date, str, str]] = Counter()
        self._month_of: dict[dt.date, str] = {}

    def count(self, records: Iterable[Counted], sign: int = 1) -> None:
        """Count records as they are written (sign 1) or as they were before a change (-1)."""
        starting, ending, month_of = self.starting, self.ending, self._month_of
        # One loop with everything inline: it runs for every record an import writes.
        for court, kind, circumstances, published_on, listed_until, removed_on in records:
            if removed_on is not None or (listed_until is not None and listed_until < published_on):
                continue  # never listed
            month = month_of.get(published_on)
            if month is None:
                month = month_of[published_on] = f"{published_on:%Y-%m}"
            starting[published_on, "court", court] += sign
            starting[published_on, "kind", kind] += sign
            starting[published_on, "month", month] += sign
            for circumstance in circumstances:
                starting[published_on, "circumstance", circumstance] += sign
            if listed_until is not None:
                ending[listed_until, "court", court] += sign
                ending[listed_until, "kind", kind] += sign
                ending[listed_until, "month", month] += sign
                for circumstance in circumstances:
                    ending[listed_until, "circumstance", circumstance] += sign

    def apply(self, session: Session | Connection) -> None:
        """Add the changes to the summary, in the session's transaction, and forget them."""
        days: dict[tuple[Any, ...], list[int]] = {}
        for key, count in self.starting.items():
            days.setdefault(key, [0, 0])[0] += count
        for key, count in self.ending.items():
            days.setdefault(key, [0, 0])[1] += count
        months: dict[tuple[Any, ...], list[int]] = {}
        for (day, dimension, value), (starting, ending) in days.items():
            month = months.setdefault((day.year * 100 + day.month, dimension, value), [0, 0])
            month[0] += starting
            month[1] += ending
        # Rows in key order, days before months: concurrent writers (an import and a delisting
        # on PostgreSQL) then lock the rows they share in the same order and never deadlock.
        add_counts(session, DAYS, ("day", "dimension", "value"), COUNTS, days)
        add_counts(session, MONTHS, ("month", "dimension", "value"), COUNTS, months)
        self.starting.clear()
        self.ending.clear()


def add_counts(
    session: Session | Connection,
    table: Table,
    keys: Sequence[str],
    values: Sequence[str],
    counts: dict[tuple[Any, ...], list[int]],
) -> None:
    """Add `counts` (key → one number per column of `values`) to a summary table's rows, creating
    the rows that are missing, in key order (so concurrent writers lock rows in one order)."""
    rows = [
        {**dict(zip(keys, key, strict=True)), **dict(zip(values, numbers, strict=True))}
        for key, numbers in sorted(counts.items())
        if any(numbers)
    ]
    if not rows:
        return
    bind = session.get_bind() if isinstance(session, Session) else session
    dialect = bind.dialect.name
    insert = (sqlite.insert if dialect == "sqlite" else postgresql.insert)(table)
    statement = insert.on_conflict_do_update(
        index_elements=list(keys),
        set_={name: table.c[name] + insert.excluded[name] for name in values},
    )
    session.execute(statement, rows)


def count_delisting(session: Session, record_pk: int) -> None:
    """Take a record about to be removed out of the summary (call before removing it)."""
    # The record's row is locked first, then the summary's, the order in which an import writes
    # them, so that a delisting and an import never wait for each other in a cycle; and the
    # record is read once locked, so that an import that changed it meanwhile is seen.
    connection = session.connection()
    dbapi_connection = connection.connection.dbapi_connection
    if connection.dialect.name == "sqlite" and not dbapi_connection.in_transaction:  # type: ignore[union-attr]
        connection.exec_driver_sql("BEGIN IMMEDIATE")  # SQLite's one write lock, now
    locked = select(*COUNTED).where(DebtorRecord.id == record_pk).with_for_update()
    changes = RegisterChanges()
    changes.count(session.execute(locked).all(), sign=-1)  # nothing if removed meanwhile
    changes.apply(session)


def fill_register_summary(session: Session) -> None:
    """Count every record of the register into an empty summary."""
    changes = RegisterChanges()
    rows = session.execute(
        select(*COUNTED).where(DebtorRecord.removed_on.is_(None)),
        execution_options={"yield_per": FILL_BATCH},
    )
    for batch in rows.partitions():
        changes.count(batch)
    changes.apply(session)


def listed_counts(
    session: Session, today: dt.date, dimension: str | None = None
) -> Counter[tuple[str, str]]:
    """(dimension, value) → how many records are listed on `today` (0 for a value none of whose
    records is), all dimensions or one."""
    first = today.replace(day=1)
    months = (
        select(MONTHS.c.dimension, MONTHS.c.value, func.sum(MONTHS.c.starting - MONTHS.c.ending))
        .where(MONTHS.c.month < first.year * 100 + first.month)
        .group_by(MONTHS.c.dimension, MONTHS.c.value)
    )
    # A record is still listed on its last day: its `ending` counts from the next day on.
    ended = case((DAYS.c.day < today, DAYS.c.ending), else_=0)
    days = (
        select(DAYS.c.dimension, DAYS.c.value, func.sum(DAYS.c.starting - ended))
        .where(DAYS.c.day >= first, DAYS.c.day <= today)
        .group_by(DAYS.c.dimension, DAYS.c.value)
    )
    if dimension is not None:
        months = months.where(MONTHS.c.dimension == dimension)
        days = days.where(DAYS.c.dimension == dimension)
    counts: Counter[tuple[str, str]] = Counter()
    for name, value, count in session.execute(union_all(months, days)):
        counts[name, value] += count
    return counts
