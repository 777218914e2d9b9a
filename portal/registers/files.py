"""The import file of either register: CSV or JSON (UTF-8, with or without a byte-order mark),
one record a row, read with the standard csv and json modules, and the field readers that
validate a row; each register's own rows (portal/debtors/records.py,
portal/victims/records.py) say which fields it has and what they must hold.

Every problem names its row and field. A row number counts the CSV header as row 1, as a
spreadsheet shows it; in JSON, row N is the Nth object of the array. Problems never quote a
name or an identity number, so that the report can be shown and kept without personal data.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import functools
import hashlib
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from portal.registers.identity import (
    IdentityKeys,
    InvalidIdentity,
    Kind,
    check_credit_code,
    check_resident_id,
    mask_number,
    normalise_number,
)
from portal.text import names

RECORD_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:/-]*$")
DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DEMO_PREFIX = "DEMO-"
READ_CHUNK = 1 << 20
RAGGED = "__ragged__"


@dataclass(frozen=True, eq=False)
class FileFormat:
    """A register's file: its columns in order, those that may be left out or blank, and the
    longest text each may hold (the columns of its table are sized to match)."""

    fields: tuple[str, ...]
    optional: frozenset[str]
    max_lengths: dict[str, int] = field(default_factory=dict)

    @functools.cached_property
    def field_set(self) -> frozenset[str]:
        return frozenset(self.fields)


@dataclass(frozen=True)
class RowProblem:
    """One thing wrong with one row (row None: the file as a whole)."""

    row: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}" if self.row is not None else "file"
        if self.field:
            where += f", field '{self.field}'"
        return f"{where}: {self.message}"


class RegisterFileError(Exception):
    """The file cannot be read at all (encoding, format, header): nothing was imported."""

    def __init__(self, problem: RowProblem) -> None:
        self.problem = problem
        super().__init__(str(problem))


@dataclass(frozen=True)
class FileSummary:
    """The file's SHA-256 and format, found before any row is read."""

    sha256: str
    format: str


# -- Reading --------------------------------------------------------------------------------


def inspect_file(path: Path) -> FileSummary:
    """Hash the file and check that it is UTF-8 throughout, before anything is parsed."""
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    offset = 0
    first_text = ""
    with path.open("rb") as source:
        while chunk := source.read(READ_CHUNK):
            digest.update(chunk)
            try:
                text = decoder.decode(chunk)
            except UnicodeDecodeError as error:
                raise RegisterFileError(
                    RowProblem(
                        None,
                        None,
                        f"is not UTF-8 text (byte {offset + error.start} cannot be decoded). "
                        "Files from the case system are often GBK; convert one with "
                        f"`iconv -f GBK -t UTF-8 {path.name} > {path.stem}-utf8{path.suffix}` "
                        "and import the converted file",
                    )
                ) from None
            first_text = first_text or text.lstrip()
            offset += len(chunk)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            raise RegisterFileError(
                RowProblem(None, None, "is not UTF-8 text: it ends inside a character")
            ) from None
    return FileSummary(sha256=digest.hexdigest(), format=_file_format(path, first_text))


def _file_format(path: Path, first_text: str) -> str:
    suffix = path.suffix.lower()
    if suffix in (".csv", ".json"):
        return suffix[1:]
    # No telling suffix: a JSON file starts with its array.
    return "json" if first_text.startswith("[") else "csv"


def read_raw_rows(
    path: Path, file_format: str, spec: FileFormat
) -> Iterator[tuple[int, dict[str, Any]]]:
    """Each row as (row number, {field: raw value}); a ragged CSV row comes with a problem."""
    if file_format == "json":
        yield from _read_json(path)
    else:
        yield from _read_csv(path, spec)


RAGGED = "__ragged__"


def _read_csv(path: Path, spec: FileFormat) -> Iterator[tuple[int, dict[str, Any]]]:
    with path.open(encoding="utf-8-sig", newline="") as source:
        reader = csv.reader(source, strict=True)
        columns = _header(reader, spec)
        row_number = 1
        for values in _values_until_broken(reader):
            if isinstance(values, str):
                raise RegisterFileError(RowProblem(row_number + 1, None, values))
            row_number += 1
            if (raw := _csv_record(columns, values)) is not None:
                yield row_number, raw


def _header(reader: Any, spec: FileFormat) -> list[str]:
    try:
        header = next(reader, None)
    except csv.Error as error:
        raise RegisterFileError(RowProblem(1, None, f"is not valid CSV: {error}")) from None
    if header is None:
        raise RegisterFileError(RowProblem(None, None, "is empty: expected a header row"))
    columns = [column.strip() for column in header]
    _check_header(columns, spec)
    return columns


def _csv_record(columns: list[str], values: list[str]) -> dict[str, Any] | None:
    if not "".join(values).strip():
        return None  # a blank line, as spreadsheets leave at the end
    raw: dict[str, Any] = dict(zip(columns, values, strict=False))
    if len(values) != len(columns):
        raw[RAGGED] = (len(values), len(columns))
    return raw


# -- A CSV file in pieces, for validating in several processes ------------------------------


def csv_pieces(path: Path, size: int, spec: FileFormat) -> tuple[list[str], Iterator[bytes]]:
    """The checked header of a CSV file, and the rest of it in pieces of about `size` bytes,
    each ending where a record ends, for `read_csv_piece`."""
    source = path.open("rb")
    pieces = _record_pieces(source, size)
    first = next(pieces, b"")
    header_end = _first_record_end(first)
    reader = csv.reader(
        io.StringIO(first[:header_end].decode("utf-8-sig"), newline=""), strict=True
    )
    try:
        columns = _header(reader, spec)
    except RegisterFileError:
        source.close()
        raise

    def rest() -> Iterator[bytes]:
        with source:
            if first[header_end:]:
                yield first[header_end:]
            yield from pieces

    return columns, rest()


def read_csv_piece(
    columns: list[str], piece: bytes
) -> tuple[list[tuple[int, dict[str, Any]]], int, RowProblem | None]:
    """The records of a piece, numbered from 1 within it; how many rows the piece holds; and
    the problem that stopped the reading, if the CSV is broken (its row numbered the same way)."""
    reader = csv.reader(io.StringIO(piece.decode("utf-8"), newline=""), strict=True)
    records: list[tuple[int, dict[str, Any]]] = []
    row_number = 0
    for values in _values_until_broken(reader):
        if isinstance(values, str):
            return records, row_number, RowProblem(row_number + 1, None, values)
        row_number += 1
        if (raw := _csv_record(columns, values)) is not None:
            records.append((row_number, raw))
    return records, row_number, None


def _values_until_broken(reader: Any) -> Iterator[list[str] | str]:
    """Each row's values; if the CSV breaks, the problem as a sentence, and nothing after it."""
    while True:
        try:
            yield next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield f"is not valid CSV: {error}"
            return


def _record_pieces(source: Any, size: int) -> Iterator[bytes]:
    pending = b""
    while block := source.read(size):
        pending += block
        if cut := _last_record_end(pending):
            yield pending[:cut]
            pending = pending[cut:]
    if pending:
        yield pending


# A line break ends a record unless it is inside quotes; quotes inside a quoted field are
# doubled, so it is outside when an even number of quotes come before it.


def _last_record_end(data: bytes) -> int:
    """Just past the last line break of `data` that ends a record (0 if there is none)."""
    end, quotes = len(data), data.count(b'"')
    while (newline := data.rfind(b"\n", 0, end)) >= 0:
        quotes -= data.count(b'"', newline, end)
        if quotes % 2 == 0:
            return newline + 1
        end = newline
    return 0


def _first_record_end(data: bytes) -> int:
    """Just past the first line break of `data` that ends a record (all of it if none does)."""
    start, quotes = 0, 0
    while (newline := data.find(b"\n", start)) >= 0:
        quotes += data.count(b'"', start, newline)
        if quotes % 2 == 0:
            return newline + 1
        start = newline + 1
    return len(data)


def _check_header(columns: list[str], spec: FileFormat) -> None:
    unknown = [column for column in columns if column not in spec.field_set]
    if unknown:
        raise RegisterFileError(
            RowProblem(
                1,
                unknown[0],
                f"is not a column of the format; columns are {', '.join(spec.fields)}",
            )
        )
    repeated = sorted({column for column in columns if columns.count(column) > 1})
    if repeated:
        raise RegisterFileError(RowProblem(1, repeated[0], "is a column named twice"))
    missing = [f for f in spec.fields if f not in columns and f not in spec.optional]
    if missing:
        raise RegisterFileError(
            RowProblem(1, missing[0], "is a required column, missing from the header")
        )


def _read_json(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    # json reads a whole document at once; for exports of millions of rows use CSV, which streams.
    with path.open(encoding="utf-8-sig") as source:
        try:
            document = json.load(source)
        except json.JSONDecodeError as error:
            raise RegisterFileError(
                RowProblem(None, None, f"is not valid JSON: {error.msg} (line {error.lineno}, "
                           f"column {error.colno})")
            ) from None  # fmt: skip
    if not isinstance(document, list):
        raise RegisterFileError(RowProblem(None, None, "must be a JSON array of records"))
    for number, item in enumerate(document, start=1):
        yield number, item if isinstance(item, dict) else {RAGGED: "not an object"}


class RowReport:
    """The problems of one row, as its fields are read: each with the row and the field."""

    def __init__(self, row: int, problems: list[RowProblem], spec: FileFormat) -> None:
        self.row, self.problems, self.count, self.spec = row, problems, 0, spec

    def add(self, field_name: str | None, message: str) -> None:
        self.problems.append(RowProblem(self.row, field_name, message))
        self.count += 1


def text(raw: dict[str, Any], name: str, report: RowReport) -> str | None:
    value = raw.get(name)
    if value.__class__ is str and (value := value.strip()):
        limit = report.spec.max_lengths.get(name)
        if limit is None or len(value) <= limit:
            return value
        report.add(name, f"is longer than {limit} characters")
        return None
    if value is not None and value != "" and not isinstance(value, str):
        report.add(name, "must be text")
    elif name not in report.spec.optional:
        report.add(name, "is required")
    return None


def blank(raw: dict[str, Any], name: str) -> bool:
    value = raw.get(name)
    return value is None or (isinstance(value, str) and not value.strip())


def date(raw: dict[str, Any], name: str, report: RowReport) -> dt.date | None:
    value = text(raw, name, report)
    if value is None:
        return None
    day = parse_date(value)
    if day is None:
        report.add(name, f"must be a date written YYYY-MM-DD, not {value!r}")
    return day


@functools.lru_cache(maxsize=4096)
def parse_date(value: str) -> dt.date | None:
    # A list holds a few thousand distinct dates over a million rows: each is parsed once.
    if DATE_PATTERN.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    return None


@functools.cache
def members_by_value(kind: type[StrEnum]) -> dict[str, StrEnum]:
    """An enum's members by their values, for reading a field per row (Enum(value) is slow)."""
    return {member.value: member for member in kind}


def enum(raw: dict[str, Any], name: str, kind: type[StrEnum], report: RowReport) -> Any:
    value = text(raw, name, report)
    if value is None:
        return None
    member = members_by_value(kind).get(value)
    if member is None:
        choices = ", ".join(member.value for member in kind)
        report.add(name, f"must be one of {choices}, not {value!r}")
    return member


def shape_problems(raw: dict[str, Any], report: RowReport) -> bool:
    """Report a row of the wrong shape (ragged CSV, a JSON item not an object: then True, and
    nothing else of it is read) and each field the format does not have."""
    if RAGGED in raw:
        shape = raw[RAGGED]
        if isinstance(shape, tuple):
            found, expected = shape
            if found < expected:
                report.add(None, f"has {found} fields where the header has {expected}")
            else:
                report.add(None, f"has {found} fields where the header has only {expected}")
        else:
            report.add(None, "must be an object with the record's fields")
        return True
    if not raw.keys() <= report.spec.field_set:
        for name in raw:
            if name not in report.spec.field_set:
                report.add(name, "is not a field of the format")
    return False


def record_id(raw: dict[str, Any], report: RowReport, demo: bool) -> str | None:
    """The record id: letters, digits and . _ : / -, starting with DEMO- exactly when `demo`."""
    value = text(raw, "record_id", report)
    if value is not None:
        if not RECORD_ID_PATTERN.match(value):
            report.add("record_id", "may hold only letters, digits and . _ : / -")
        elif value.startswith(DEMO_PREFIX) != demo:
            report.add(
                "record_id",
                "only demonstration data, imported with --demo, has ids starting with DEMO-"
                if not demo
                else f"with --demo every record id must start with {DEMO_PREFIX}",
            )
    return value


def name_and_key(raw: dict[str, Any], report: RowReport) -> tuple[str | None, str]:
    """The name as written and its key for matching (the lookup's normalisation)."""
    name = text(raw, "name", report)
    name_key = names.name_key(name) if name else ""
    limit = report.spec.max_lengths["name"]
    if name and not name_key:
        report.add("name", "has no letters once spaces are removed")
    elif len(name_key) > limit:  # ß -> ss, ㈱ -> (株): the key can be longer
        report.add("name", f"is longer than {limit} characters once normalised")
    return name, name_key


def identity(
    raw: dict[str, Any], kind: Kind | None, keys: IdentityKeys, report: RowReport
) -> tuple[str | None, str | None, dt.date | None]:
    """Validate the number for the record's kind; return its display form (a person's masked,
    an organisation's public code as is), its keyed hash and a person's birth date."""
    value = raw.get("id_number")
    if value is not None and not isinstance(value, str):
        report.add("id_number", "must be text (quote it in JSON: a number loses its check X)")
        return None, None, None
    number = normalise_number(value or "")
    if not number:
        report.add("id_number", "is required")
        return None, None, None
    if kind is None:
        return None, None, None  # which rules apply is unknown; the kind's own problem is reported
    try:
        if kind is Kind.PERSON:
            birth = check_resident_id(number)
        else:
            check_credit_code(number)
            return number, keys.number_hash(number), None
    except InvalidIdentity as error:
        what = "resident ID number" if kind is Kind.PERSON else "unified social credit code"
        report.add("id_number", f"is not a valid {what}: {error}")
        return None, None, None
    return mask_number(number), keys.number_hash(number), birth
