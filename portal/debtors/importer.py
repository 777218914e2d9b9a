"""Importing a debtor file into the database, all or nothing, and delisting one record.

The file is streamed: rows are validated and written in batches inside one transaction, so a
million-row export needs neither a second pass nor the whole file in memory. A large file is
validated in other processes (one per core), a few chunks ahead of the writing, which stays
here. After the first bad row nothing more is written, every later row is still validated so
that the report is complete, and the transaction is rolled back: a file with any bad row
changes nothing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import multiprocessing
import operator
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, bindparam, select
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql.dml import UpdateBase

from portal.db import register_summary
from portal.db.engine import bulk_write_cache
from portal.db.models import DebtorImport, DebtorRecord, utc_now
from portal.db.register_summary import RegisterChanges, count_delisting
from portal.debtors.identity import IdentityKeys
from portal.debtors.records import (
    RAGGED,
    DebtorFileError,
    DebtorRow,
    RowProblem,
    csv_pieces,
    inspect_file,
    parse_row,
    read_csv_piece,
    read_raw_rows,
)
from portal.debtors.static_lookup import cpu_workers

BATCH_SIZE = 2000
# A CSV file of at least PARALLEL_MIN_BYTES is read and validated in other processes, in
# pieces of about PIECE_BYTES; below that, starting the processes costs more than they save.
PIECE_BYTES = 2**20
PARALLEL_MIN_BYTES = 4 * 2**20
RECORDS = DebtorRecord.__table__


@dataclass
class ImportReport:
    """What an import did, by count."""

    rows: int = 0
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0

    def summary(self) -> str:
        """One line for the CLI."""
        return (
            f"{self.rows} rows: {self.added} added, {self.updated} updated, "
            f"{self.removed} removed, {self.unchanged} unchanged"
        )


class DebtorImportError(Exception):
    """The file has problems; nothing was imported."""

    def __init__(self, problems: list[RowProblem], rows: int = 0) -> None:
        self.problems = problems
        self.rows = rows
        super().__init__("\n".join(str(p) for p in problems))

    @property
    def bad_rows(self) -> int:
        """How many rows have at least one problem."""
        return len({problem.row for problem in self.problems})


def import_debtors(
    factory: sessionmaker[Session],
    path: Path,
    keys: IdentityKeys,
    *,
    demo: bool = False,
    now: dt.datetime | None = None,
    processes: int | None = None,
) -> ImportReport:
    """Import a CSV or JSON file; DebtorImportError (and no change) if any row is bad. Rows are
    validated in `processes` processes (default: one per core for a large file)."""
    now = now or utc_now()
    try:
        summary = inspect_file(path)
    except DebtorFileError as error:
        _record_refusal(factory, now, None, None, 0, [error.problem], demo)
        raise DebtorImportError([error.problem]) from None
    problems: list[RowProblem] = []
    report = ImportReport()
    if processes is None:
        large = path.stat().st_size >= PARALLEL_MIN_BYTES
        processes = cpu_workers() if large else 1
    if summary.format != "csv":
        processes = 1  # JSON is read whole at once anyway; large lists come as CSV
    try:
        with (
            _parsing_pool(processes) as pool,
            factory.begin() as session,
            bulk_write_cache(session),
            _lookup_indexes_built_last(session) as register_was_empty,
        ):
            batch = _Batch(session, now, report, register_was_empty)
            if pool is None:
                parsed = _parsed_here(path, summary.format, keys, demo)
            else:
                parsed = _parsed_elsewhere(path, keys, demo, pool, processes)
            _import_rows(parsed, batch, problems)
            if problems:
                raise DebtorImportError(problems, report.rows)
            batch.register_changes.apply(session)
            session.add(
                DebtorImport(
                    happened_at=now, action="import", file_sha256=summary.sha256,
                    file_format=summary.format, rows=report.rows, added=report.added,
                    updated=report.updated, removed=report.removed, unchanged=report.unchanged,
                    demo=demo,
                )
            )  # fmt: skip
    except DebtorFileError as error:
        problems.append(error.problem)
        _record_refusal(factory, now, summary.sha256, summary.format, report.rows, problems, demo)
        raise DebtorImportError(problems, report.rows) from None
    except DebtorImportError:
        _record_refusal(factory, now, summary.sha256, summary.format, report.rows, problems, demo)
        raise
    return report


@dataclass
class _Batch:
    """Rows waiting to be written (their stored values: the full number is not among them)."""

    session: Session
    now: dt.datetime
    report: ImportReport
    register_was_empty: bool  # then every record is new: duplicates in the file are refused

    def __post_init__(self) -> None:
        self.rows: list[tuple[Any, ...]] = []
        self.register_changes = RegisterChanges()  # the statistics' summary, applied at the end
        self._statements: _Statements | None = None

    def statements(self) -> _Statements:
        """The import's insert and update statements, compiled at the first batch."""
        if self._statements is None:
            self._statements = _Statements(self.session.connection())
        return self._statements

    def append(self, values: tuple[Any, ...]) -> None:
        self.rows.append(values)

    def clear(self) -> None:
        self.rows.clear()

    def __len__(self) -> int:
        return len(self.rows)


# A row as validated: its row number in the file, the record id it claims (to find repeats),
# its stored values (None if it is bad) and its problems. The full number goes no further than
# parse_row: nothing derived from it but the keyed id_hash is kept (docs/debtors.md).
_Parsed = tuple[int, str | None, tuple[Any, ...] | None, list[RowProblem]]
_RawRow = tuple[int, dict[str, Any]]


def _parse_rows(rows: Iterable[_RawRow], keys: IdentityKeys, demo: bool) -> list[_Parsed]:
    """Validate rows (in a parsing process, or in this one)."""
    parsed: list[_Parsed] = []
    for row_number, raw in rows:
        problems: list[RowProblem] = []
        row = parse_row(row_number, raw, keys, problems, demo=demo)
        record_id = raw.get("record_id")
        claimed = None
        if RAGGED not in raw and isinstance(record_id, str) and record_id.strip():
            claimed = record_id.strip()
        if row is None:
            parsed.append((row_number, claimed, None, problems))
        else:
            parsed.append((row_number, claimed, _stored_values(row), problems))
    return parsed


def _parse_csv_piece(
    piece: bytes, columns: list[str], keys: IdentityKeys, demo: bool
) -> tuple[list[_Parsed], int, RowProblem | None]:
    """Read and validate a piece of a CSV file in a parsing process; rows numbered within it."""
    rows, count, broken = read_csv_piece(columns, piece)
    return _parse_rows(rows, keys, demo), count, broken


def _parsed_here(path: Path, file_format: str, keys: IdentityKeys, demo: bool) -> Iterator[_Parsed]:
    """Each row of the file validated in this process, in file order."""
    for row in read_raw_rows(path, file_format):
        yield from _parse_rows((row,), keys, demo)


def _parsed_elsewhere(
    path: Path, keys: IdentityKeys, demo: bool, pool: Executor, processes: int
) -> Iterator[_Parsed]:
    """Each row of a CSV file, read and validated by the pool's processes a few pieces ahead
    of the writing, in file order."""
    columns, pieces = csv_pieces(path, PIECE_BYTES)
    parse = functools.partial(_parse_csv_piece, columns=columns, keys=keys, demo=demo)

    def in_order() -> Iterator[tuple[list[_Parsed], int, RowProblem | None]]:
        pending: deque[Future[tuple[list[_Parsed], int, RowProblem | None]]] = deque()
        for piece in pieces:
            pending.append(pool.submit(parse, piece))
            if len(pending) > 2 * processes:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()

    offset = 1  # the header's row
    for parsed, count, broken in in_order():
        for row_number, claimed, values, problems in parsed:
            problems = [_in_file(problem, offset) for problem in problems]
            yield row_number + offset, claimed, values, problems
        if broken is not None:
            raise DebtorFileError(_in_file(broken, offset))
        offset += count


def _in_file(problem: RowProblem, offset: int) -> RowProblem:
    """A problem found in a piece of the file, numbered as a row of the file."""
    row = None if problem.row is None else problem.row + offset
    return RowProblem(row, problem.field, problem.message)


@contextlib.contextmanager
def _lookup_indexes_built_last(session: Session) -> Iterator[bool]:
    """Whether the register is empty as the import starts. Into an empty SQLite register, the
    lookup indexes are built once from the imported rows instead of updated row by row (a
    first load of a million rows spent most of its time there); a failed import's rollback
    restores them as they were."""
    register_was_empty = session.scalar(select(RECORDS.c.id).limit(1)) is None
    connection = session.connection()
    rebuilt = []
    if register_was_empty and connection.dialect.name == "sqlite":
        if not connection.connection.dbapi_connection.in_transaction:  # type: ignore[union-attr]
            # The driver opens a transaction only before its first insert or update; the
            # indexes must be dropped inside it, so that a rollback brings them back.
            connection.exec_driver_sql("BEGIN")
        rebuilt = connection.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
            " AND tbl_name = ?",
            (RECORDS.name,),
        ).all()
        for name, _ in rebuilt:
            connection.exec_driver_sql(f'DROP INDEX "{name}"')
    yield register_was_empty
    for _, sql in rebuilt:
        connection.exec_driver_sql(sql)


@contextlib.contextmanager
def _parsing_pool(processes: int) -> Iterator[Executor | None]:
    if processes <= 1:
        yield None
        return
    # Forked before the transaction opens; the processes only validate, never touch the database.
    pool = ProcessPoolExecutor(processes, multiprocessing.get_context("fork"))
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _import_rows(parsed: Iterable[_Parsed], batch: _Batch, problems: list[RowProblem]) -> None:
    first_row_of: dict[str, int] = {}
    report = batch.report
    for row_number, claimed, values, row_problems in parsed:
        report.rows += 1
        problems.extend(row_problems)
        if claimed is not None:
            first = first_row_of.setdefault(claimed, row_number)
            if first != row_number:
                problems.append(
                    RowProblem(row_number, "record_id", f"repeats the record id of row {first}")
                )
        if values is None or problems:
            batch.clear()  # nothing more is written once any row is bad
            continue
        batch.append(values)
        if len(batch) >= BATCH_SIZE:
            _write_batch(batch)
            batch.clear()
    if batch and not problems:
        _write_batch(batch)


# What an import writes of a record, in the table's order: each row of a batch is a tuple of these.
STORED_COLUMNS = (
    "record_id", "name", "name_key", "kind", "id_display", "id_hash", "legal_representative",
    "court", "case_number", "basis_document", "basis_issuer", "obligations", "performance",
    "circumstances", "published_on", "listed_until", "removed_on", "removal_reason", "demo",
    "row_hash",
)  # fmt: skip
INSERT_COLUMNS = (*STORED_COLUMNS, "created_at", "updated_at")
UPDATE_COLUMNS = (*STORED_COLUMNS, "updated_at", "record_pk")
RECORD_ID = STORED_COLUMNS.index("record_id")
REMOVED_ON = STORED_COLUMNS.index("removed_on")
REMOVAL_REASON = STORED_COLUMNS.index("removal_reason")
ROW_HASH = STORED_COLUMNS.index("row_hash")
# What the register's summary counts of a record, in the order RegisterChanges.count takes it.
COUNTED_COLUMNS = tuple(column.key for column in register_summary.COUNTED)
COUNTED_VALUES = operator.itemgetter(*(STORED_COLUMNS.index(name) for name in COUNTED_COLUMNS))


def _stored_values(row: DebtorRow) -> tuple[Any, ...]:
    return (
        row.record_id, row.name, row.name_key, row.kind.value, row.id_display, row.id_hash,
        row.legal_representative, row.court, row.case_number, row.basis_document,
        row.basis_issuer, row.obligations, row.performance.value,
        tuple(item.value for item in row.circumstances), row.published_on, row.listed_until,
        row.removed_on, row.removal_reason, row.demo, row.row_hash,
    )  # fmt: skip


class _DriverStatement:
    """A Core statement compiled once for the connection's dialect and run with the driver's
    executemany: SQLAlchemy's handling of each row's parameters cost more than the database's
    insert. The column types' bind conversions are applied here instead, once for each distinct
    value of a column (a batch has a few dates, circumstances and timestamps among many rows)."""

    def __init__(self, connection: Connection, statement: UpdateBase, names: tuple[str, ...]):
        dialect = connection.dialect
        compiled = statement.compile(
            dialect=dialect, column_keys=[name for name in names if name in RECORDS.c]
        )
        if set(compiled.binds) != set(names):  # a row's values must be the statement's, exactly
            raise ValueError(f"the statement takes {sorted(compiled.binds)}, not {names}")
        self.connection, self.sql = connection, compiled.string
        self.positional = compiled.positional
        self.bind_names = tuple(compiled.positiontup or ()) if self.positional else names
        self.order = [names.index(name) for name in self.bind_names]
        self.processors = [
            (names.index(name), process)
            for name, bind in compiled.binds.items()
            if (process := bind.type.dialect_impl(dialect).bind_processor(dialect)) is not None
        ]

    def executemany(self, rows: list[tuple[Any, ...]]) -> None:
        """Run the statement once for each row: a tuple of hashable values in the order of
        `names`."""
        if not rows:
            return
        columns: list[Any] = list(zip(*rows, strict=True))
        for index, process in self.processors:
            distinct = list(set(columns[index]))
            converted = dict(zip(distinct, map(process, distinct), strict=True))
            columns[index] = list(map(converted.__getitem__, columns[index]))
        ordered = zip(*(columns[index] for index in self.order), strict=True)
        if self.positional:
            parameters: list[Any] = list(ordered)
        else:
            parameters = [dict(zip(self.bind_names, values, strict=True)) for values in ordered]
        self.connection.exec_driver_sql(self.sql, parameters)


# What a batch needs to know of the records it may change: one statement, whatever the batch.
EXISTING_RECORDS = select(
    RECORDS.c.id, RECORDS.c.record_id, RECORDS.c.row_hash, RECORDS.c.removal_reason,
    *(RECORDS.c[name] for name in COUNTED_COLUMNS),  # last: what the summary counts
).where(RECORDS.c.record_id.in_(bindparam("record_ids", expanding=True)))  # fmt: skip


class _Statements:
    """The two writes of an import: new records and changed records."""

    def __init__(self, connection: Connection) -> None:
        by_pk = RECORDS.update().where(RECORDS.c.id == bindparam("record_pk"))
        self.insert = _DriverStatement(connection, RECORDS.insert(), INSERT_COLUMNS)
        self.update = _DriverStatement(connection, by_pk, UPDATE_COLUMNS)


def _write_batch(batch: _Batch) -> None:
    session, now, report = batch.session, batch.now, batch.report
    existing: dict[str, Any] = {}
    if not batch.register_was_empty:
        record_ids = [values[RECORD_ID] for values in batch.rows]
        existing = {
            found.record_id: found
            for found in session.execute(EXISTING_RECORDS, {"record_ids": record_ids})
        }
    inserts, updates = [], []
    for values in batch.rows:
        current = existing.get(values[RECORD_ID])
        if current is None:
            inserts.append((*values, now, now))
            report.added += 1
        elif current.row_hash == values[ROW_HASH]:
            report.unchanged += 1
        else:
            if current.removed_on is not None and values[REMOVED_ON] is None:
                # Removal is final: an import never re-lists a record (a new listing gets a new
                # record id), so a record delisted at once stays delisted.
                changed = list(values)
                changed[REMOVED_ON], changed[REMOVAL_REASON] = (
                    current.removed_on, current.removal_reason,
                )  # fmt: skip
                values = tuple(changed)
            elif current.removed_on is None and values[REMOVED_ON] is not None:
                report.removed += 1
            updates.append((*values, now, current.id))
            report.updated += 1
    _count_changes(batch.register_changes, inserts, updates, existing)
    statements = batch.statements()
    statements.insert.executemany(inserts)
    statements.update.executemany(updates)


def _count_changes(
    changes: RegisterChanges,
    inserts: list[tuple[Any, ...]],
    updates: list[tuple[Any, ...]],
    existing: dict[str, Any],
) -> None:
    """The new records, and the changed ones as they were and as they will be, for the
    statistics' summary."""
    changes.count(map(COUNTED_VALUES, inserts))
    changes.count(map(COUNTED_VALUES, updates))
    counted = -len(COUNTED_COLUMNS)
    changes.count((existing[values[RECORD_ID]][counted:] for values in updates), sign=-1)


def _record_refusal(
    factory: sessionmaker[Session],
    now: dt.datetime,
    sha256: str | None,
    file_format: str | None,
    rows: int,
    problems: Iterable[RowProblem],
    demo: bool,
) -> None:
    """Keep a trace of a refused import, in its own transaction (the import's was rolled back)."""
    bad_rows = len({problem.row for problem in problems})
    with factory.begin() as session:
        session.add(
            DebtorImport(
                happened_at=now, action="refused", file_sha256=sha256, file_format=file_format,
                rows=rows, bad_rows=bad_rows, demo=demo,
            )
        )  # fmt: skip


class UnknownRecord(LookupError):
    """No record has this record id."""


def delist(
    factory: sessionmaker[Session],
    record_id: str,
    reason: str,
    *,
    today: dt.date,
    now: dt.datetime | None = None,
) -> bool:
    """Remove one record from the list at once; False if it was already removed."""
    reason = reason.strip()
    if not reason:
        raise ValueError("a reason is required")
    now = now or utc_now()
    with factory.begin() as session:
        record = session.scalar(select(DebtorRecord).where(DebtorRecord.record_id == record_id))
        if record is None:
            raise UnknownRecord(record_id)
        if record.removed_on is not None:
            return False
        count_delisting(session, record.id)
        record.removed_on, record.removal_reason, record.updated_at = today, reason, now
        session.add(DebtorImport(happened_at=now, action="delist", removed=1, demo=record.demo))
    return True
