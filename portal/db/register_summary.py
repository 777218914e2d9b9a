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
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import (
    Connection,
    FromClause,
    Select,
    Table,
    Text,
    and_,
    bindparam,
    case,
    cast,
    func,
    or_,
    select,
    tuple_,
    union_all,
)
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

    def count_selected(self, connection: Connection, records: Select[Any], sign: int = 1) -> None:
        """Count the records `records` selects (COUNTED's columns) as `count` would. On
        PostgreSQL they are grouped there, and the groups come back instead of every record (a
        million-record import spent seconds of its write fetching and counting them here);
        SQLite runs in this process, where counting them costs less than grouping them."""
        if connection.dialect.name != "postgresql":
            self.count(connection.execute(records), sign)
            return
        circumstances_of: dict[str, tuple[str, ...]] = {}
        for grouping, *values, number in connection.execute(_grouped(records.subquery())):
            side, dimension = _GROUPINGS[grouping]
            day = values[0] if side == "starting" else values[1]
            if day is None:  # a record with no end of listing has no `ending`
                continue
            counter = self.starting if side == "starting" else self.ending
            if dimension == "circumstance":
                items = circumstances_of.get(values[5])
                if items is None:
                    items = circumstances_of[values[5]] = tuple(json.loads(values[5]))
                for circumstance in items:
                    counter[day, dimension, circumstance] += sign * number
            elif dimension == "month":  # the month the record was published in
                month = values[4] if side == "ending" else f"{day:%Y-%m}"
                counter[day, dimension, month] += sign * number
            else:
                counter[day, dimension, values[2 if dimension == "court" else 3]] += sign * number

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


# The groupings `count_selected` asks for, of the columns (published_on, listed_until, court,
# kind, month published, circumstances): each set's columns, and its side and dimension, by the
# bits PostgreSQL's GROUPING() gives it (a bit set for each column not in the set, first column
# highest); PostgreSQL only. The starting months are the starting days' totals.
_SETS = {
    ("published_on", "court"): ("starting", "court"),
    ("published_on", "kind"): ("starting", "kind"),
    ("published_on",): ("starting", "month"),
    ("published_on", "circumstances"): ("starting", "circumstance"),
    ("listed_until", "court"): ("ending", "court"),
    ("listed_until", "kind"): ("ending", "kind"),
    ("listed_until", "month"): ("ending", "month"),
    ("listed_until", "circumstances"): ("ending", "circumstance"),
}
_GROUPED_COLUMNS = ("published_on", "listed_until", "court", "kind", "month", "circumstances")
_BITS = {
    columns: sum(
        1 << (len(_GROUPED_COLUMNS) - 1 - index)
        for index, name in enumerate(_GROUPED_COLUMNS)
        if name not in columns
    )
    for columns in _SETS
}
_GROUPINGS = {_BITS[columns]: meaning for columns, meaning in _SETS.items()}


def _grouped(records: FromClause) -> Any:
    """The counted records of `records` (not removed, ever listed) in each grouping of _SETS,
    in one scan: (its GROUPING bits, the six grouped columns or NULL, how many)."""
    r = records.c
    columns = (
        r.published_on, r.listed_until, r.court, r.kind,
        func.to_char(r.published_on, "YYYY-MM"), cast(r.circumstances, Text),
    )  # fmt: skip
    by_name = dict(zip(_GROUPED_COLUMNS, columns, strict=True))
    counted = and_(
        r.removed_on.is_(None), or_(r.listed_until.is_(None), r.listed_until >= r.published_on)
    )
    return (
        select(func.grouping(*columns), *columns, func.count())
        .where(counted)
        .group_by(func.grouping_sets(*(tuple_(*(by_name[n] for n in s)) for s in _SETS)))
    )


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
    if bind.dialect.name == "sqlite":
        insert = sqlite.insert(table)
        parameters: Any = rows
    else:
        # One statement with a column of values each, not one a row: a large import sends
        # hundreds of thousands of counts, and their round trips took seconds of its write.
        columns = [*keys, *values]
        arrays = [bindparam(name, type_=postgresql.ARRAY(table.c[name].type)) for name in columns]
        insert = postgresql.insert(table).from_select(
            columns, select(*(func.unnest(array) for array in arrays))
        )
        parameters = {name: [row[name] for row in rows] for name in columns}
    statement = insert.on_conflict_do_update(
        index_elements=list(keys),
        set_={name: table.c[name] + insert.excluded[name] for name in values},
    )
    session.execute(statement, parameters)


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
