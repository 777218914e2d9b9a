"""Importing a register's file into the database, all or nothing: the machinery both registers
(the debtor list, the victims' register) share, driven by each register's `RegisterSpec`.

The file is streamed: rows are validated in batches, compared with the register and the
difference staged in temporary tables of the import's own connection, so a million-row export
needs neither a second pass nor the whole file in memory, and no write lock is held meanwhile.
A large file is validated in other processes (one per core), a few chunks ahead of the staging,
which stays here. After the first bad row nothing more is staged, every later row is still
validated so that the report is complete, and nothing is written. Only a good file reaches the
write: one short transaction that applies the staged difference, during which a delisting
waits at most that long and after which it still holds (docs/debtors.md, "Removal at once").
"""

from __future__ import annotations

import array
import contextlib
import datetime as dt
import functools
import json
import multiprocessing
import operator
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from multiprocessing.pool import AsyncResult, Pool
from pathlib import Path
from typing import Any, Protocol

from psycopg.adapt import PyFormat
from psycopg.types.json import Json, Jsonb
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Connection,
    Date,
    Dialect,
    Engine,
    Integer,
    MetaData,
    Select,
    String,
    Table,
    Text,
    bindparam,
    false,
    func,
    insert,
    select,
    union_all,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql.dml import UpdateBase
from sqlalchemy.types import TypeDecorator

from portal.db.court_day import court_today
from portal.db.engine import begin_writing, bulk_write_cache
from portal.db.models import ImportAuditMixin, utc_now
from portal.registers.files import (
    RAGGED,
    FileFormat,
    FileSummary,
    RegisterFileError,
    RowProblem,
    csv_pieces,
    inspect_file,
    read_csv_piece,
    read_raw_rows,
)
from portal.registers.identity import IdentityKeys

BATCH_SIZE = 2000
# On PostgreSQL, memory for the import's own connection, which no other work shares: its
# temporary staging tables live in the connection's buffers (temp_buffers, 8 MB by default,
# and settable only before the connection first touches a temporary table), and its write
# transaction's grouping of the staged records for the summary in work_mem (4 MB by default).
# With the defaults a million staged records spilled to files, and grouping them took twice as
# long. The buffers are taken as the staging grows, up to this.
STAGING_BUFFERS = "512MB"
WRITE_WORK_MEM = "256MB"
# A CSV file of at least PARALLEL_MIN_BYTES is read and validated in other processes, in
# pieces of about PIECE_BYTES; below that, starting the processes costs more than they save.
PIECE_BYTES = 2**20
PARALLEL_MIN_BYTES = 4 * 2**20

# A row's parser: (row number, raw row, keys, problems to add to, demo, the import's context)
# -> the row's stored values in the order of the spec's `stored_columns`, or None if it is bad.
RowParser = Callable[[int, dict[str, Any], IdentityKeys, list[RowProblem], bool, Any], Any]


class Staged:
    """What the write reads of the staging: the records it changes, as they are before and
    after it (any columns of the live table)."""

    def __init__(self, records: Table, new: Table, changed: Table) -> None:
        self.records, self.new, self.changed = records, new, changed

    def changed_records(self, *columns: Any) -> Select[Any]:
        """The live records the staged changes apply to."""
        return select(*columns).where(self.records.c.id.in_(select(self.changed.c.record_pk)))

    def written_records(self, *columns: Any) -> Any:
        """Every record the write changed or added, as it left them."""
        # A join for the changed records, not one filter with two IN lists: PostgreSQL can run
        # that filter only as a scan of the staged new records for each record once they no
        # longer fit in its work memory (a first load of a million records did not end in
        # minutes). The two sets are disjoint: a staged new record was not in the register (or
        # its write fails).
        live = self.records.c
        changed = select(*columns).join_from(
            self.records, self.changed, live.id == self.changed.c.record_pk
        )
        return union_all(changed, self._added(columns))

    def _added(self, columns: tuple[Any, ...]) -> Select[Any]:
        """The added records' `columns`: the staged rows themselves where the staging has
        them all, since the write copies them as they are and no other transaction can see,
        let alone change, them before it commits (joining a million added records back to the
        live table took seconds of the write); else the live records joined to them."""
        staged = self.new.c
        if all(
            getattr(column, "table", None) is self.records and column.name in staged
            for column in columns
        ):
            return select(*(staged[column.name].label(column.name) for column in columns))
        live = self.records.c
        return select(*columns).join_from(
            self.records, self.new, live.record_id == staged.record_id
        )


class Changes(Protocol):
    def count(self, records: Iterable[Any], sign: int = 1) -> None:
        """Count records given as tuples of the counted columns' values."""

    def count_selected(self, connection: Connection, records: Select[Any], sign: int = 1) -> None:
        """Count the records a statement selects: as written (sign 1) or as before (-1)."""

    def apply(self, session: Any) -> None: ...


class SummaryKeeper(Protocol):
    """How one import keeps its register's summary: it hears each batch of rows as it is
    staged (new or changed), then keeps the summary in the write, around the
    function that applies the staged rows (called once)."""

    reads: tuple[str, ...]  # the stored columns `staged` reads of a row

    def staged(self, rows: list[tuple[Any, ...]], at: dict[str, int]) -> None:
        """Hear rows staged; `at` gives the position of each column `reads` in a row."""

    def around_write(
        self, connection: Connection, staged: Staged, write: Callable[[], None]
    ) -> None: ...


class CountedInPython:
    """Changes counted here, from every selected record (`count` does the counting)."""

    def count(self, records: Iterable[Any], sign: int = 1) -> None:
        raise NotImplementedError

    def count_selected(self, connection: Connection, records: Select[Any], sign: int = 1) -> None:
        """Count the records `records` selects."""
        self.count(connection.execute(records), sign)


class CountedAroundWrite:
    """The changed records counted out as they were and every written one in as the write
    leaves them (read back from the database), added to the summary in the same transaction:
    for a register whose write may store other values than the staged ones."""

    reads: tuple[str, ...] = ()

    def __init__(self, counted: tuple[Any, ...], changes: Callable[[], Changes]) -> None:
        self.counted, self.changes = counted, changes()

    def staged(self, rows: list[tuple[Any, ...]], at: dict[str, int]) -> None:
        pass

    def around_write(
        self, connection: Connection, staged: Staged, write: Callable[[], None]
    ) -> None:
        self.changes.count_selected(connection, staged.changed_records(*self.counted), sign=-1)
        write()
        self.count_written(connection, staged)
        self.changes.apply(connection)

    def count_written(self, connection: Connection, staged: Staged) -> None:
        """Count in every record the write changed or added, as it left them."""
        self.changes.count_selected(connection, staged.written_records(*self.counted))


class CountedAsStaged(CountedAroundWrite):
    """For a register whose write stores each staged row as it is: the written records are
    counted in as they are staged, while the file is still being validated, instead of being
    read back in the write (the victims' register spent a fifth of its import there); only the
    changed records are counted out in the write, as they were."""

    def __init__(self, counted: tuple[Any, ...], changes: Callable[[], Changes]) -> None:
        super().__init__(counted, changes)
        self.reads = tuple(column.key for column in counted)

    def staged(self, rows: list[tuple[Any, ...]], at: dict[str, int]) -> None:
        self.changes.count(map(operator.itemgetter(*(at[name] for name in self.reads)), rows))

    def count_written(self, connection: Connection, staged: Staged) -> None:
        pass  # counted as staged


def plain_changes(records: Table, staged: Table, stored: tuple[str, ...]) -> UpdateBase:
    """The staged changes applied as the file has them."""
    values: dict[str, Any] = {name: staged.c[name] for name in stored if name != "record_id"}
    values["updated_at"] = bindparam("now", type_=records.c.updated_at.type)
    return records.update().where(records.c.id == staged.c.record_pk).values(values)


@dataclass(frozen=True)
class Unique:
    """Stored columns no two records may share, in the file or in the register as the file would
    leave it. A later row of the file sharing them gets a problem on `field`: `message` followed
    by the earlier row's number; a row sharing them with a record of the register that the file
    does not include gets `in_register`, formatted with `record_id` (the record's) and the
    columns' values (name only those that say nothing personal). The register is searched by
    the first column, which should lead an index of the live table."""

    columns: tuple[str, ...] = ()
    field: str = ""
    message: str = ""
    in_register: str = ""


@dataclass(frozen=True, eq=False)
class RegisterSpec:
    """What makes a register's import its own; everything else is shared."""

    name: str  # in the staging tables' names
    records: Table  # the live table
    stored_columns: tuple[str, ...]  # what a row's parser returns, in this order
    file_format: FileFormat
    parse: RowParser  # a module-level function: the validating processes get it by name
    audit: type[ImportAuditMixin]
    summary: Callable[[], SummaryKeeper]  # one keeper an import
    apply_changes: Callable[[Table, Table, tuple[str, ...]], UpdateBase] = plain_changes
    removed_column: str | None = None  # a change that fills it counts as a removal
    # What the rows are checked against, read once before them (it must pickle): known keys.
    context: Callable[[Connection], Any] = lambda connection: None
    unique: Unique = Unique()
    # JSON columns whose values the row parser gives as their JSON text already (serialised
    # once, in the validating process): staged as they are, not encoded again here.
    json_text: frozenset[str] = frozenset()

    @functools.cached_property
    def statements(self) -> _Statements:
        return _Statements(self)


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


class RegisterImportError(Exception):
    """The file has problems; nothing was imported."""

    def __init__(self, problems: list[RowProblem], rows: int = 0) -> None:
        self.problems = problems
        self.rows = rows
        super().__init__("\n".join(str(p) for p in problems))

    @property
    def bad_rows(self) -> int:
        """How many rows have at least one problem."""
        return len({problem.row for problem in self.problems})


def import_register(
    spec: RegisterSpec,
    factory: sessionmaker[Session],
    path: Path,
    keys: IdentityKeys,
    *,
    demo: bool = False,
    now: dt.datetime | None = None,
    processes: int | None = None,
    on_stage: Callable[[ImportStage], None] | None = None,
) -> ImportReport:
    """Import a CSV or JSON file into the register `spec` describes; RegisterImportError (and no
    change) if any row is bad, and
    ImportInterrupted (no change either) on SIGINT or SIGTERM before its commit. Rows are
    validated in `processes` processes (default: one per core for a large file). `now` is the
    time the import is recorded at (default: its write); `on_stage` hears each stage reached."""
    try:
        summary = inspect_file(path)
    except RegisterFileError as error:
        _record_refusal(spec, factory, now, None, None, 0, [error.problem], demo)
        raise RegisterImportError([error.problem]) from None
    problems: list[RowProblem] = []
    report = ImportReport()
    if processes is None:
        large = path.stat().st_size >= PARALLEL_MIN_BYTES
        processes = (os.cpu_count() or 1) if large else 1
    if summary.format != "csv":
        processes = 1  # JSON is read whole at once anyway; large lists come as CSV
    notify = on_stage or (lambda stage: None)
    try:
        with (
            _stopped_by_signals() as signals,
            _parsing_pool(processes) as pool,
            _Staging(spec, _engine_of(factory)) as staging,
        ):
            parse = functools.partial(
                _parse_rows,
                keys=keys,
                demo=demo,
                parse=spec.parse,
                context=staging.context,
                encode=staging.encode,
            )
            if pool is None:
                parsed = _parsed_here(path, summary.format, spec.file_format, parse)
            else:
                parsed = _parsed_elsewhere(
                    path, spec.file_format, parse, pool, processes, signals.check
                )
            _stage_rows(parsed, staging, report, problems, notify, signals.check)
            if problems:
                raise RegisterImportError(problems, report.rows)
            _write(staging, summary, report, demo, now, notify, signals)
    except RegisterFileError as error:
        problems.append(error.problem)
        _record_refusal(
            spec, factory, now, summary.sha256, summary.format, report.rows, problems, demo
        )
        raise RegisterImportError(problems, report.rows) from None
    except RegisterImportError:
        _record_refusal(
            spec, factory, now, summary.sha256, summary.format, report.rows, problems, demo
        )
        raise
    return report


class ImportStage(StrEnum):
    """Where a running import is, for `on_stage`."""

    STAGED = "staged"  # another batch of rows validated and compared (no write lock held)
    WRITING = "writing"  # the write transaction begun (on SQLite, the write lock taken)
    WRITTEN = "written"  # the difference applied in the write transaction, not yet committed


def _engine_of(factory: sessionmaker[Session]) -> Engine:
    engine = factory.kw.get("bind")
    if not isinstance(engine, Engine):
        raise TypeError("the session factory must be bound to an engine")
    return engine


# A row as validated: its row number in the file, the record id it claims (to find repeats),
# its values as the staging takes them (None if it is bad; `_Staging.at`) and its problems.
# The full number goes no further than the register's row parser: nothing derived from it but
# the keyed id_hash is kept.
_Parsed = tuple[int, str | None, tuple[Any, ...] | None, Sequence[RowProblem]]
_RawRow = tuple[int, dict[str, Any]]
NO_PROBLEMS: tuple[RowProblem, ...] = ()


class _Validated:
    """Rows as validated, in the form a validating process sends back: each row's number and
    stored values, and only for a bad row the record id it claims and its problems (by its
    position). A good row's claimed id is its stored one: pickling a tuple of four, a number and
    an empty list for every row cost more than its values (a third of the pickling)."""

    def __init__(self) -> None:
        self.numbers = array.array("q")
        self.values: list[tuple[Any, ...] | None] = []
        self.bad: dict[int, tuple[str | None, list[RowProblem]]] = {}

    def rows(self, record_id_at: int, offset: int = 0) -> Iterator[_Parsed]:
        """Each row as `_Parsed`, its number `offset` rows further into the file."""
        bad = self.bad
        for index, (number, values) in enumerate(zip(self.numbers, self.values, strict=True)):
            if index in bad:
                claimed, problems = bad[index]
                if offset:
                    problems = [_in_file(problem, offset) for problem in problems]
                yield number + offset, claimed, values, problems
            else:
                yield number + offset, values[record_id_at], values, NO_PROBLEMS  # type: ignore[index]


def _parse_rows(
    rows: Iterable[_RawRow],
    *,
    keys: IdentityKeys,
    demo: bool,
    parse: RowParser,
    context: Any,
    encode: _CopyRows | None = None,
) -> _Validated:
    """Validate rows (in a parsing process, or in this one); a good row's stored values are
    sent on as they are, or as `encode` makes them."""
    validated = _Validated()
    for row_number, raw in rows:
        problems: list[RowProblem] = []
        values = parse(row_number, raw, keys, problems, demo, context)
        if values is None or problems:
            record_id = raw.get("record_id")
            claimed = None
            if RAGGED not in raw and isinstance(record_id, str) and record_id.strip():
                claimed = record_id.strip()
            validated.bad[len(validated.values)] = (claimed, problems)
            values = None
        validated.numbers.append(row_number)
        validated.values.append(values)
    if encode is not None:
        validated.values = encode.rows(validated.values)
    return validated


_RowsParser = Callable[[Iterable[_RawRow]], _Validated]


def _parse_csv_piece(
    piece: bytes, columns: list[str], parse: _RowsParser
) -> tuple[_Validated, int, RowProblem | None]:
    """Read and validate a piece of a CSV file in a parsing process; rows numbered within it."""
    rows, count, broken = read_csv_piece(columns, piece)
    return parse(rows), count, broken


# Rows as validated together, and how many rows into the file their numbers are.
_Chunk = tuple[_Validated, int]


def _parsed_here(
    path: Path, file_format: str, spec: FileFormat, parse: _RowsParser
) -> Iterator[_Chunk]:
    """Each row of the file validated in this process, in file order."""
    for row in read_raw_rows(path, file_format, spec):
        yield parse((row,)), 0


def _parsed_elsewhere(
    path: Path,
    spec: FileFormat,
    parse_rows: _RowsParser,
    pool: Pool,
    processes: int,
    check_signals: Callable[[], None],
) -> Iterator[_Chunk]:
    """The rows of a CSV file a piece at a time, read and validated by the pool's processes a
    few pieces ahead of the staging, in file order."""
    columns, pieces = csv_pieces(path, PIECE_BYTES, spec)
    parse = functools.partial(_parse_csv_piece, columns=columns, parse=parse_rows)

    def in_order() -> Iterator[tuple[_Validated, int, RowProblem | None]]:
        pending: deque[AsyncResult[tuple[_Validated, int, RowProblem | None]]] = deque()
        for piece in pieces:
            pending.append(pool.apply_async(parse, (piece,)))
            if len(pending) > 2 * processes:
                yield _result(pending.popleft(), check_signals)
        while pending:
            yield _result(pending.popleft(), check_signals)

    offset = 1  # the header's row
    for validated, count, broken in in_order():
        yield validated, offset
        if broken is not None:
            raise RegisterFileError(_in_file(broken, offset))
        offset += count


def _result(result: AsyncResult[Any], check_signals: Callable[[], None]) -> Any:
    """The task's result, checking for a signal every tenth of a second meanwhile."""
    while True:
        result.wait(0.1)
        if result.ready():
            return result.get()
        check_signals()


def _in_file(problem: RowProblem, offset: int) -> RowProblem:
    """A problem found in a piece of the file, numbered as a row of the file."""
    row = None if problem.row is None else problem.row + offset
    return RowProblem(row, problem.field, problem.message)


class ImportInterrupted(Exception):
    """SIGINT or SIGTERM stopped the import before it committed; nothing was changed."""

    def __init__(self, signal_number: int) -> None:
        self.signal_number = signal_number
        self.signal_name = signal.Signals(signal_number).name
        super().__init__(f"interrupted by {self.signal_name}")


class _Signals:
    """SIGINT and SIGTERM during an import are noted, and the import stops at its next check:
    between rows, while it waits for the validating processes, and before its commit (the write
    is then rolled back). After the commit they are too late to undo anything and are ignored.
    The handler itself never raises: a signal comes anywhere, in a statement or in a fork,
    where an exception would be wrapped or swallowed."""

    def __init__(self) -> None:
        self.committed = False
        self.received: int | None = None

    def handle(self, number: int, _frame: object) -> None:
        if not self.committed and self.received is None:
            self.received = number

    def check(self) -> None:
        """Raise ImportInterrupted if a signal has come."""
        if self.received is not None:
            raise ImportInterrupted(self.received)


STOPPING_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@contextlib.contextmanager
def _stopped_by_signals() -> Iterator[_Signals]:
    """SIGINT and SIGTERM handled as `_Signals` says while the import runs, then as before.
    Only the main thread can handle signals: an import run in another thread leaves them be."""
    signals = _Signals()
    if threading.current_thread() is not threading.main_thread():
        yield signals
        return
    previous = {number: signal.getsignal(number) for number in STOPPING_SIGNALS}
    for number, handler in previous.items():
        if handler is not signal.SIG_IGN:  # a background job started with SIGINT ignored
            signal.signal(number, signals.handle)
    try:
        yield signals
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


# How often a validating process checks that the import that started it is still there.
ORPHAN_CHECK_SECONDS = 0.5


@contextlib.contextmanager
def _parsing_pool(processes: int) -> Iterator[Pool | None]:
    """The validating processes, all started at once (before the import connects to the
    database) and stopped on every way out: joined after a good run, terminated in the middle
    of their tasks after anything else (a bad file, an error, SIGINT or SIGTERM), and gone on
    their own if the import is killed outright."""
    if processes <= 1:
        yield None
        return
    # A pool, not an executor: its terminate() stops the processes mid-task, publicly.
    pool = multiprocessing.get_context("fork").Pool(
        processes, initializer=_validating_process_started, initargs=(os.getpid(),)
    )
    try:
        yield pool
    except BaseException:
        pool.terminate()  # and joins them
        raise
    finally:
        pool.close()
        pool.join()


def _validating_process_started(importer_pid: int) -> None:
    """In each validating process: SIGINT is the importer's to handle (it then stops this
    process), SIGTERM ends it (the handler forked from the importer is undone), and it exits
    once the importer is gone, killed with SIGKILL say, when it is given to another parent."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)

    def exit_when_orphaned() -> None:
        while os.getppid() == importer_pid:
            time.sleep(ORPHAN_CHECK_SECONDS)
        os._exit(1)

    threading.Thread(target=exit_when_orphaned, daemon=True).start()


def _stage_rows(
    parsed: Iterable[_Chunk],
    staging: _Staging,
    report: ImportReport,
    problems: list[RowProblem],
    notify: Callable[[ImportStage], None],
    check_signals: Callable[[], None],
) -> None:
    """Check every row, and stage the difference of the good ones with the register; after the
    first problem nothing more is staged, but every row is still checked for the report."""
    first_row_of: dict[str, int] = {}
    unique = staging.spec.unique
    unique_at = [staging.at[name] for name in unique.columns]
    # A key's hash, not the key: a million keys of hashes would cost hundreds of MiB.
    first_row_of_key: dict[int, int] = {}
    clashes = _RegisterClashes(staging)
    record_id_at = staging.at["record_id"]
    batch: list[tuple[Any, ...]] = []
    for validated, offset in parsed:
        check_signals()
        if not (problems or validated.bad or unique_at) and _first_rows(
            validated, offset, record_id_at, first_row_of
        ):  # good rows, none repeating an id: no row need be looked at here
            report.rows += len(validated.values)
            batch.extend(validated.values)  # type: ignore[arg-type]
            while len(batch) >= BATCH_SIZE:
                staging.stage(batch[:BATCH_SIZE], report)
                del batch[:BATCH_SIZE]
                notify(ImportStage.STAGED)
            continue
        for row_number, claimed, values, row_problems in validated.rows(record_id_at, offset):
            report.rows += 1
            problems.extend(row_problems)
            if claimed is not None:
                first = first_row_of.setdefault(claimed, row_number)
                if first != row_number:
                    problems.append(
                        RowProblem(row_number, "record_id", f"repeats the record id of row {first}")
                    )
            if unique_at and values is not None:
                key = tuple(map(values.__getitem__, unique_at))
                first = first_row_of_key.setdefault(hash(key), row_number)
                if first != row_number:
                    problems.append(
                        RowProblem(row_number, unique.field, f"{unique.message} {first}")
                    )
                clashes.check(row_number, values, key)
            if values is None or problems:
                batch.clear()
                continue
            batch.append(values)
            if len(batch) >= BATCH_SIZE:
                staging.stage(batch, report)
                batch.clear()
                notify(ImportStage.STAGED)
    if batch and not problems:
        staging.stage(batch, report)
        notify(ImportStage.STAGED)
    found = clashes.problems(in_file=first_row_of)
    if found:  # in row order with the others (sort is stable: a row's own order is kept)
        problems.extend(found)
        problems.sort(key=lambda problem: problem.row or 0)


def _first_rows(
    validated: _Validated, offset: int, record_id_at: int, first_row_of: dict[str, int]
) -> bool:
    """Note the first row of each record id of good rows, all at once, if none repeats an id
    (in them or before them: then False and nothing noted). Row by row, this was a third of
    this process's work."""
    ids = map(operator.itemgetter(record_id_at), validated.values)
    firsts = dict(zip(ids, map(offset.__add__, validated.numbers), strict=True))
    if len(firsts) != len(validated.values) or not first_row_of.keys().isdisjoint(firsts):
        return False
    first_row_of.update(firsts)
    return True


class _RegisterClashes:
    """Rows sharing the spec's unique columns with another record of the register, found one
    query a batch of rows (after the first problem too, for a complete report). Whether that
    record stays as it is can only be known at the end: the file may change it in a later row."""

    def __init__(self, staging: _Staging) -> None:
        spec = staging.spec
        self.staging, self.unique = staging, spec.unique
        self.record_id = staging.at["record_id"]
        # Nothing to clash with in an empty register (a first load pays nothing).
        self.active = bool(spec.unique.columns) and not staging.register_was_empty
        self.waiting: dict[tuple[Any, ...], list[tuple[int, str]]] = {}
        self.pending = 0
        self.found: list[tuple[int, str, tuple[Any, ...]]] = []

    def check(self, row_number: int, values: tuple[Any, ...], key: tuple[Any, ...]) -> None:
        """Note a good row's key; the register is asked once a batch of them is waiting."""
        if not self.active:
            return
        self.waiting.setdefault(key, []).append((row_number, values[self.record_id]))
        self.pending += 1
        if self.pending >= BATCH_SIZE:
            self._ask()

    def _ask(self) -> None:
        if not self.waiting:
            return
        first_values = list({key[0] for key in self.waiting})
        found = self.staging.connection.execute(
            self.staging.clashing_records, {"values": first_values}
        )
        for other_id, *key in found:
            for row_number, record_id in self.waiting.get(tuple(key), ()):
                if record_id != other_id:  # a record's own row is no clash with itself
                    self.found.append((row_number, other_id, tuple(key)))
        self.staging.connection.commit()
        self.waiting.clear()
        self.pending = 0

    def problems(self, in_file: dict[str, int]) -> list[RowProblem]:
        """The clashes with records the file leaves as they are (one it includes takes the
        file's values, which the file's own check has compared)."""
        if self.active:
            self._ask()
        columns = self.unique.columns
        return [
            RowProblem(
                row_number,
                self.unique.field,
                self.unique.in_register.format(
                    record_id=other_id, **dict(zip(columns, key, strict=True))
                ),
            )
            for row_number, other_id, key in sorted(self.found)
            if other_id not in in_file
        ]


class _Statements:
    """A register's staging tables and the statements of its import, built once. The staging
    area: temporary tables, private to the import's connection and gone with it, outside the
    live table (on SQLite, outside the database file), so that filling them takes no lock that
    a removal would wait for. New records, and the new values of changed ones."""

    def __init__(self, spec: RegisterSpec) -> None:
        records, stored = spec.records, spec.stored_columns
        self.stored = stored
        self.changed_columns = (*stored, "record_pk")
        self.metadata = MetaData()
        types = {
            name: _JsonText() if name in spec.json_text else records.c[name].type for name in stored
        }
        self.new = Table(
            f"staged_{spec.name}_records",
            self.metadata,
            *(Column(name, types[name]) for name in stored),
            prefixes=["TEMPORARY"],
        )
        self.changed = Table(
            f"staged_{spec.name}_changes",
            self.metadata,
            *(Column(name, types[name]) for name in stored),
            Column("record_pk", Integer),
            prefixes=["TEMPORARY"],
        )
        self.staged = Staged(records, self.new, self.changed)
        now = bindparam("now", type_=records.c.updated_at.type)
        self.add_new = records.insert().from_select(
            [*stored, "created_at", "updated_at"],
            select(*(self.new.c[name] for name in stored), now, now),
        )
        self.apply_changes = spec.apply_changes(records, self.changed, stored)
        removed = [records.c[spec.removed_column]] if spec.removed_column else []
        self.existing = (records.c.id, records.c.record_id, records.c.row_hash, *removed)


class _JsonText(TypeDecorator[str]):
    """A staging table's JSON column whose values come as JSON text already: the column is the
    live table's JSON type, and the text is sent as it is."""

    impl = JSON
    cache_ok = True

    def bind_processor(self, dialect: Dialect) -> None:
        return None


# A staging table's value as COPY's text format writes it: the conversions psycopg makes
# (text as is, a date in ISO form, a boolean as t or f, JSON as json.dumps writes it), then
# the escapes of the format. NUL separates the fields, SOH stands for NULL and STX ends a row
# until the escapes are made; rows with a value holding any of them are escaped one by one.
_JSON_ENCODER = json.JSONEncoder()  # json.dumps's defaults, as psycopg dumps JSON


def _copy_json(value: Any) -> str:
    return _JSON_ENCODER.encode(value)


def _copy_bool(value: bool) -> str:
    return "t" if value else "f"


_COPY_CONVERSIONS: dict[type[Any], Callable[[Any], str] | None] = {
    String: None, Text: None, _JsonText: None, Date: dt.date.isoformat,
    Boolean: _copy_bool, Integer: str, BigInteger: str,
    JSON: _copy_json,
}  # fmt: skip
_COPY_ESCAPES = {
    "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t",
    "\v": "\\v",
}  # fmt: skip
_COPY_ESCAPED = [character.encode() for character in _COPY_ESCAPES]
_COPY_FIELD_ESCAPES = str.maketrans(_COPY_ESCAPES)
_AS_NULL = {None: "\1"}


class _CopyRows:
    """What a validating process sends of a good row on PostgreSQL: the values the staging
    compares and counts (`kept`, by position in the stored values) and, last, the row as a
    line of COPY's text format (without its line break), so that this process sends it as it
    is: encoding the rows for COPY and unpickling them whole cost most of its staging."""

    def __init__(self, conversions: list[Callable[[Any], str] | None], kept: list[int]) -> None:
        self.converted = tuple((i, c) for i, c in enumerate(conversions) if c is not None)
        self.fields, self.kept = len(conversions), kept

    @classmethod
    def for_table(cls, table: Table, kept: list[int]) -> _CopyRows | None:
        """The encoder of a staging table's rows; None if a column's type is not one it knows
        (its rows are then sent whole and encoded by the driver)."""
        types = [type(column.type) for column in table.columns]
        if not all(kind in _COPY_CONVERSIONS for kind in types):
            return None
        return cls([_COPY_CONVERSIONS[kind] for kind in types], kept)

    def rows(self, rows: list[tuple[Any, ...] | None]) -> list[tuple[Any, ...] | None]:
        """Each row's kept values and line; None (a bad row) stays None."""
        good = [values for values in rows if values is not None]
        if not good:
            return rows
        encoded = iter(self._encoded(good))
        return [None if values is None else next(encoded) for values in rows]

    def _encoded(self, rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        # A column at a time, and the escapes checked once for all the rows: a row at a time,
        # this cost more than pickling the values whole.
        stored = list(zip(*rows, strict=True))
        columns = self._converted(stored)
        nulls = 0
        for index, column in enumerate(columns):
            if None in column:
                nulls += column.count(None)
                columns[index] = list(map(_AS_NULL.get, column, column))
        # In UTF-8 no character's bytes hold those of another, so the bytes are searched.
        text = "\2".join(map("\0".join, zip(*columns, strict=True))).encode()
        if (
            not any(map(text.__contains__, _COPY_ESCAPED))
            and text.count(b"\0") == len(rows) * (self.fields - 1)
            and text.count(b"\1") == nulls
            and text.count(b"\2") == len(rows) - 1
        ):  # nothing to escape: the separators and NULLs made at once
            lines = text.replace(b"\0", b"\t").replace(b"\1", b"\\N").split(b"\2")
        else:
            lines = [self._line(values) for values in zip(*self._converted(stored), strict=True)]
        return list(zip(*(stored[index] for index in self.kept), lines, strict=True))

    def _converted(self, columns: list[Any]) -> list[Any]:
        """The columns' values as text, None for NULL; each distinct value converted once."""
        columns = list(columns)
        for index, convert in self.converted:
            # SQLAlchemy's JSON type stores None as JSON's null.
            keeps_none = convert is _copy_json
            try:
                distinct = set(columns[index])
            except TypeError:  # values that cannot be hashed (a JSON list): each converted
                distinct = None
            if distinct is None:
                columns[index] = [
                    convert(value) if value is not None or keeps_none else None
                    for value in columns[index]
                ]
                continue
            converted = {
                value: convert(value) for value in distinct if value is not None or keeps_none
            }
            columns[index] = list(map(converted.get, columns[index]))
        return columns

    @staticmethod
    def _line(fields: tuple[Any, ...]) -> bytes:
        return "\t".join(
            "\\N" if field is None else field.translate(_COPY_FIELD_ESCAPES) for field in fields
        ).encode()


class _DriverInsert:
    """An insert compiled once for the connection's dialect and run with the driver's
    executemany: SQLAlchemy's handling of each row's parameters cost more than the database's
    insert. The column types' bind conversions are applied here instead, once for each distinct
    value of a column (a batch has a few dates, circumstances and timestamps among many rows)."""

    def __init__(self, connection: Connection, table: Table, names: tuple[str, ...]):
        dialect = connection.dialect
        compiled = table.insert().compile(dialect=dialect, column_keys=list(names))
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
        """Insert the rows: tuples of hashable values in the order of `names`."""
        if not rows:
            return
        columns: list[Any] = list(zip(*rows, strict=True))
        for index, process in self.processors:
            distinct = list(set(columns[index]))
            converted = dict(zip(distinct, map(process, distinct), strict=True))
            columns[index] = list(map(converted.__getitem__, columns[index]))
        self.send(zip(*(columns[index] for index in self.order), strict=True))

    def send(self, rows: Iterator[tuple[Any, ...]]) -> None:
        """Send converted rows, in the statement's order of columns."""
        if self.positional:
            parameters: list[Any] = list(rows)
        else:
            parameters = [dict(zip(self.bind_names, values, strict=True)) for values in rows]
        self.connection.exec_driver_sql(self.sql, parameters)


class _PostgresCopy(_DriverInsert):
    """On PostgreSQL, the rows sent with COPY rather than one INSERT each: the staging spent
    most of its time on the statements' round trips. The driver writes each value as its
    parameter would be sent (the same conversions), so what is stored is the same."""

    def __init__(self, connection: Connection, table: Table, names: tuple[str, ...]):
        super().__init__(connection, table, names)
        columns = ", ".join(f'"{name}"' for name in self.bind_names)
        self.sql = f'COPY "{table.name}" ({columns}) FROM STDIN'
        driver = connection.connection.driver_connection
        self.processors = [
            (index, functools.partial(_json_as_text, process, driver))
            for index, process in self.processors
        ]

    def send(self, rows: Iterator[tuple[Any, ...]]) -> None:
        with self._copy() as copy:
            for values in rows:
                copy.write_row(values)

    def copy_lines(self, lines: list[bytes]) -> None:
        """Send rows as lines of COPY's text format (without their line breaks), in the
        statement's order of columns."""
        if lines:
            lines.append(b"")  # the last line's break
            with self._copy() as copy:
                copy.write(b"\n".join(lines))

    @contextlib.contextmanager
    def _copy(self) -> Iterator[Any]:
        if not self.connection.in_transaction():  # so that the batch's commit() commits it
            self.connection.begin()
        driver = self.connection.connection.driver_connection
        with driver.cursor() as cursor, cursor.copy(self.sql) as copy:  # type: ignore[union-attr]
            yield copy


def _json_as_text(process: Callable[[Any], Any], driver: Any, value: Any) -> Any:
    """A value bound for COPY, a JSON one as the text the driver would send for it: made
    once for each distinct value here, it was made again for each row in COPY (a third of
    the staging's time in this process)."""
    value = process(value)
    if isinstance(value, Json | Jsonb):
        dumper = driver.adapters.get_dumper(type(value), PyFormat.TEXT)(type(value), driver)
        return bytes(dumper.dump(value)).decode()
    return value


def _staging_insert(connection: Connection, table: Table, names: tuple[str, ...]) -> _DriverInsert:
    """How rows go into a staging table: COPY on PostgreSQL, the driver's executemany else."""
    if connection.dialect.name == "postgresql":
        return _PostgresCopy(connection, table, names)
    return _DriverInsert(connection, table, names)


def _any_of(column: Any, name: str, dialect_name: str) -> Any:
    """`column` is one of the list bound as `name`: on PostgreSQL one array, not a parameter
    each (their SQL costs more than the lookup)."""
    if dialect_name == "postgresql":
        return column == func.any(bindparam(name, type_=postgresql.ARRAY(column.type)))
    return column.in_(bindparam(name, expanding=True))


def _existing_records(spec: RegisterSpec, dialect_name: str) -> Select[Any]:
    """What a batch needs to know of the records it may change, in one statement."""
    matching = _any_of(spec.records.c.record_id, "record_ids", dialect_name)
    return select(*spec.statements.existing).where(matching)


def _clashing_records(spec: RegisterSpec, dialect_name: str) -> Select[Any]:
    """The record id and unique columns of the records whose first unique column is one of a
    list (the rest are compared by the caller)."""
    columns = [spec.records.c[name] for name in spec.unique.columns]
    if not columns:
        return select(spec.records.c.record_id).where(false())
    matching = _any_of(columns[0], "values", dialect_name)
    return select(spec.records.c.record_id, *columns).where(matching)


class _Staging:
    """The import's own connection and its staging tables. Each batch is compared with the
    register and staged in a short transaction of its own, which reads the live table and
    writes only the staging tables; `_write` then applies them in one transaction. The
    connection is discarded at the end, and the staging with it."""

    def __init__(self, spec: RegisterSpec, engine: Engine) -> None:
        self.spec, self.engine, self.statements = spec, engine, spec.statements
        self.summary = spec.summary()

    def __enter__(self) -> _Staging:
        self.connection = self.engine.connect()
        statements, records = self.statements, self.spec.records
        try:
            if self.connection.dialect.name == "postgresql":
                self.connection.exec_driver_sql(f"SET temp_buffers = '{STAGING_BUFFERS}'")
            statements.metadata.create_all(self.connection)
            self.register_was_empty = self.connection.scalar(select(records.c.id).limit(1)) is None
            self.context = self.spec.context(self.connection)
            self.connection.commit()
            self.new = _staging_insert(self.connection, statements.new, statements.stored)
            self.changed = _staging_insert(
                self.connection, statements.changed, statements.changed_columns
            )
            self._lay_out_rows()
            dialect_name = self.connection.dialect.name
            self.existing_records = _existing_records(self.spec, dialect_name)
            self.clashing_records = _clashing_records(self.spec, dialect_name)
        except BaseException:
            self.__exit__()
            raise
        return self

    def _lay_out_rows(self) -> None:
        """How a validated row comes here: on PostgreSQL the columns this process reads and
        the row as a line of COPY (`encode`, made by the validating processes), else all of
        its stored values; `at` gives each column's position."""
        stored, spec = self.statements.stored, self.spec
        removed = [spec.removed_column] if spec.removed_column else []
        read = ("record_id", "row_hash", *removed, *spec.unique.columns, *self.summary.reads)
        kept = list(dict.fromkeys(read))
        self.encode: _CopyRows | None = None
        if self.connection.dialect.name == "postgresql":
            self.encode = _CopyRows.for_table(self.statements.new, list(map(stored.index, kept)))
        layout = kept if self.encode else stored
        self.at = {name: position for position, name in enumerate(layout)}

    def __exit__(self, *_exc: object) -> None:
        # Never back to the pool: its next user would find the staging tables.
        self.connection.invalidate()
        self.connection.close()

    def analyze(self) -> None:
        """On PostgreSQL, the staging tables' statistics gathered (autovacuum never sees
        temporary tables), so that the write's statements are planned for their real size."""
        if self.connection.dialect.name == "postgresql":
            for table in self.statements.metadata.sorted_tables:
                self.connection.exec_driver_sql(f'ANALYZE "{table.name}"')
            self.connection.commit()

    def stage(self, rows: list[tuple[Any, ...]], report: ImportReport) -> None:
        """Compare a batch with the register and stage what is new or changed."""
        record_id, row_hash = self.at["record_id"], self.at["row_hash"]
        removed = self.at[self.spec.removed_column] if self.spec.removed_column else None
        existing: dict[str, Any] = {}
        if not self.register_was_empty:  # then every record is new (repeats are refused)
            record_ids = [values[record_id] for values in rows]
            found = self.connection.execute(self.existing_records, {"record_ids": record_ids})
            existing = {record[1]: record for record in found}
        new, changed = [], []
        for values in rows:
            current = existing.get(values[record_id])
            if current is None:
                new.append(values)
                report.added += 1
            elif current[2] == values[row_hash]:
                report.unchanged += 1
            else:
                if removed is not None and current[3] is None and values[removed] is not None:
                    report.removed += 1
                changed.append((*values, current[0]))
                report.updated += 1
        if self.encode is None:
            self.new.executemany(new)
            self.changed.executemany(changed)
        else:  # COPY lines: a changed record's with its record's key added
            self.new.copy_lines([values[-1] for values in new])
            self.changed.copy_lines([b"%b\t%d" % values[-2:] for values in changed])
        self.connection.commit()
        self.summary.staged(new, self.at)
        self.summary.staged(changed, self.at)


def _write(
    staging: _Staging,
    summary: FileSummary,
    report: ImportReport,
    demo: bool,
    now: dt.datetime | None,
    notify: Callable[[ImportStage], None],
    signals: _Signals,
) -> None:
    """The import's one write transaction: the staged difference applied, in two statements,
    the summary kept and the import recorded. Nothing in it is validated or derived, so it
    lasts as long as the database takes to copy the staged rows."""
    connection, spec, statements = staging.connection, staging.spec, staging.statements
    staging.analyze()
    begin_writing(connection)  # a removal under way finishes first
    if connection.dialect.name == "postgresql":  # for this transaction only
        connection.exec_driver_sql(f"SET LOCAL work_mem = '{WRITE_WORK_MEM}'")
    notify(ImportStage.WRITING)
    now = now or utc_now()

    def write() -> None:
        with (
            bulk_write_cache(connection),
            _lookup_indexes_built_last(
                connection, spec.records, report.added, staging.register_was_empty
            ),
        ):
            _add_new(connection, statements, now)
            connection.execute(statements.apply_changes, {"now": now, "today": court_today(now)})

    staging.summary.around_write(connection, statements.staged, write)
    connection.execute(
        insert(spec.audit).values(
            happened_at=now, action="import", file_sha256=summary.sha256,
            file_format=summary.format, rows=report.rows, added=report.added,
            updated=report.updated, removed=report.removed, unchanged=report.unchanged,
            demo=demo,
        )
    )  # fmt: skip
    notify(ImportStage.WRITTEN)
    signals.check()  # a signal that came during the write: rolled back, not committed
    connection.commit()
    signals.committed = True


ADDED_MEANWHILE = (
    "another import added some of this file's new records while it ran; nothing was imported"
    " from it: import it again"
)


def _add_new(connection: Connection, statements: _Statements, now: dt.datetime) -> None:
    """Add the staged new records; a record id another import added since they were compared
    is a problem of the file (the write is rolled back), not a crash."""
    try:
        connection.execute(statements.add_new, {"now": now})
    except IntegrityError as error:
        if "record_id" not in str(error.orig):
            raise
        raise RegisterFileError(RowProblem(None, "record_id", ADDED_MEANWHILE)) from None


@contextlib.contextmanager
def _lookup_indexes_built_last(
    connection: Connection, records: Table, new_records: int, register_was_empty: bool
) -> Iterator[None]:
    """When an import fills an empty register (a first load), or at least doubles a SQLite one,
    the lookup indexes (those not unique) are built once from all the rows instead of updated
    row by row: a million new rows spent most of the write there, and a delisting waits for the
    write. On PostgreSQL only a first load: dropping an index locks the table against readers
    until the commit, which a register people look up cannot afford (SQLite's readers go on
    reading the last commit). Inside the write transaction, so that a rollback restores them."""
    rebuilt: list[Any] = []
    if connection.dialect.name == "sqlite" and new_records >= (
        connection.scalar(select(func.count()).select_from(records)) or 0
    ):
        rebuilt = connection.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
            " AND tbl_name = ?",
            (records.name,),
        ).all()
    elif connection.dialect.name == "postgresql" and register_was_empty and new_records:
        rebuilt = connection.exec_driver_sql(
            "SELECT rel.relname, pg_get_indexdef(ix.indexrelid) FROM pg_index AS ix"
            " JOIN pg_class AS rel ON rel.oid = ix.indexrelid"
            " WHERE ix.indrelid = CAST(%(table)s AS regclass) AND NOT ix.indisunique",
            {"table": records.name},
        ).all()
        # Sorted in memory, not in temporary files (64 MB by default): this transaction only.
        connection.exec_driver_sql(f"SET LOCAL maintenance_work_mem = '{WRITE_WORK_MEM}'")
    for name, _ in rebuilt:
        connection.exec_driver_sql(f'DROP INDEX "{name}"')
    yield
    for _, sql in rebuilt:
        connection.exec_driver_sql(sql)


def _record_refusal(
    spec: RegisterSpec,
    factory: sessionmaker[Session],
    now: dt.datetime | None,
    sha256: str | None,
    file_format: str | None,
    rows: int,
    problems: Iterable[RowProblem],
    demo: bool,
) -> None:
    """Keep a trace of a refused import, in its own transaction (nothing else was written)."""
    bad_rows = len({problem.row for problem in problems})
    with factory.begin() as session:
        session.add(
            spec.audit(
                happened_at=now or utc_now(), action="refused", file_sha256=sha256,
                file_format=file_format, rows=rows, bad_rows=bad_rows, demo=demo,
            )
        )  # fmt: skip
