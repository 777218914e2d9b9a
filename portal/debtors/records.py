"""The import file: CSV or JSON (UTF-8, with or without a byte-order mark), one record a row,
read with the standard csv and json modules and validated row by row.

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
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from portal.registers.identity import (
    ADULT_AGE,
    IdentityKeys,
    InvalidIdentity,
    Kind,
    age_on,
    check_credit_code,
    check_resident_id,
    mask_number,
    normalise_number,
)
from portal.text import names


class Performance(StrEnum):
    UNPERFORMED = "unperformed"
    PARTIALLY_PERFORMED = "partially_performed"


class Circumstance(StrEnum):
    """The six statutory circumstances of dishonesty (SPC provisions on the list, article 1)."""

    REFUSES_DESPITE_ABILITY = "refuses_despite_ability"
    OBSTRUCTS_ENFORCEMENT = "obstructs_enforcement"
    EVADES_ENFORCEMENT = "evades_enforcement"
    VIOLATES_PROPERTY_REPORTING = "violates_property_reporting"
    VIOLATES_CONSUMPTION_RESTRICTION = "violates_consumption_restriction"
    BREACHES_SETTLEMENT = "breaches_settlement"


# What each kind, circumstance and performance status is called, in both languages: the lookup
# page and the register's statistics show these names.
KIND_NAMES = {
    "person": {"en": "Person", "zh": "自然人"},
    "organisation": {"en": "Organisation", "zh": "法人或其他组织"},
}
CIRCUMSTANCE_NAMES = {
    "refuses_despite_ability": {
        "en": "Able to perform the obligations but refuses to",
        "zh": "有履行能力而拒不履行生效法律文书确定义务",
    },
    "obstructs_enforcement": {
        "en": "Obstructs or resists enforcement by false evidence, violence, threats or similar "
        "means",
        "zh": "以伪造证据、暴力、威胁等方法妨碍、抗拒执行",
    },
    "evades_enforcement": {
        "en": "Evades enforcement by false litigation or arbitration, or by hiding or "
        "transferring property",
        "zh": "以虚假诉讼、虚假仲裁或者以隐匿、转移财产等方法规避执行",
    },
    "violates_property_reporting": {
        "en": "Violates the duty to report property",
        "zh": "违反财产报告制度",
    },
    "violates_consumption_restriction": {
        "en": "Violates a consumption restriction order",
        "zh": "违反限制消费令",
    },
    "breaches_settlement": {
        "en": "Refuses without good reason to perform an enforcement settlement agreement",
        "zh": "无正当理由拒不履行执行和解协议",
    },
}
PERFORMANCE_NAMES = {
    "unperformed": {"en": "Not performed at all", "zh": "全部未履行"},
    "partially_performed": {"en": "Partially performed", "zh": "部分未履行"},
}

FIELDS = (
    "record_id", "name", "kind", "id_number", "legal_representative", "court", "case_number",
    "basis_document", "basis_issuer", "obligations", "performance", "circumstances",
    "published_on", "listed_until", "removed_on", "removal_reason",
)  # fmt: skip
FIELD_SET = frozenset(FIELDS)
OPTIONAL_FIELDS = frozenset(
    {"legal_representative", "listed_until", "removed_on", "removal_reason"}
)
# The longest text each field may hold; the columns are sized to match.
MAX_LENGTHS = {
    "record_id": 64, "name": 200, "legal_representative": 200, "court": 200, "case_number": 100,
    "basis_document": 200, "basis_issuer": 200, "obligations": 4000, "removal_reason": 1000,
}  # fmt: skip
RECORD_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:/-]*$")
DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")
CIRCUMSTANCE_SEPARATOR = ";"
DEMO_PREFIX = "DEMO-"
READ_CHUNK = 1 << 20
# JSON keeps the values of a row hash apart unambiguously, and its encoder is written in C.
_ROW_HASH_ENCODER = json.JSONEncoder(ensure_ascii=False, default=str)


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


class DebtorFileError(Exception):
    """The file cannot be read at all (encoding, format, header): nothing was imported."""

    def __init__(self, problem: RowProblem) -> None:
        self.problem = problem
        super().__init__(str(problem))


@dataclass(frozen=True)
class DebtorRow:
    """A validated record, as it is stored: the person's number only masked and hashed."""

    record_id: str
    name: str
    name_key: str
    kind: Kind
    id_display: str
    id_hash: str
    legal_representative: str | None
    court: str
    case_number: str
    basis_document: str
    basis_issuer: str
    obligations: str
    performance: Performance
    circumstances: tuple[Circumstance, ...]
    published_on: dt.date
    listed_until: dt.date | None
    removed_on: dt.date | None
    removal_reason: str | None
    demo: bool

    @property
    def row_hash(self) -> str:
        """A hash of what is stored, to tell a changed row from an unchanged one."""
        values = (
            self.record_id, self.name, self.kind, self.id_display, self.id_hash,
            self.legal_representative, self.court, self.case_number, self.basis_document,
            self.basis_issuer, self.obligations, self.performance,
            CIRCUMSTANCE_SEPARATOR.join(self.circumstances), str(self.published_on),
            _optional_str(self.listed_until), _optional_str(self.removed_on),
            self.removal_reason, self.demo,
        )  # fmt: skip
        # Dates as text here rather than through `default`: the same JSON, in half the time.
        return hashlib.sha256(_ROW_HASH_ENCODER.encode(values).encode()).hexdigest()


def _optional_str(value: dt.date | None) -> str | None:
    return None if value is None else str(value)


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
                raise DebtorFileError(
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
            raise DebtorFileError(
                RowProblem(None, None, "is not UTF-8 text: it ends inside a character")
            ) from None
    return FileSummary(sha256=digest.hexdigest(), format=_file_format(path, first_text))


def _file_format(path: Path, first_text: str) -> str:
    suffix = path.suffix.lower()
    if suffix in (".csv", ".json"):
        return suffix[1:]
    # No telling suffix: a JSON file starts with its array.
    return "json" if first_text.startswith("[") else "csv"


def read_raw_rows(path: Path, file_format: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """Each row as (row number, {field: raw value}); a ragged CSV row comes with a problem."""
    if file_format == "json":
        yield from _read_json(path)
    else:
        yield from _read_csv(path)


RAGGED = "__ragged__"


def _read_csv(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    with path.open(encoding="utf-8-sig", newline="") as source:
        reader = csv.reader(source, strict=True)
        columns = _header(reader)
        row_number = 1
        for values in _values_until_broken(reader):
            if isinstance(values, str):
                raise DebtorFileError(RowProblem(row_number + 1, None, values))
            row_number += 1
            if (raw := _csv_record(columns, values)) is not None:
                yield row_number, raw


def _header(reader: Any) -> list[str]:
    try:
        header = next(reader, None)
    except csv.Error as error:
        raise DebtorFileError(RowProblem(1, None, f"is not valid CSV: {error}")) from None
    if header is None:
        raise DebtorFileError(RowProblem(None, None, "is empty: expected a header row"))
    columns = [column.strip() for column in header]
    _check_header(columns)
    return columns


def _csv_record(columns: list[str], values: list[str]) -> dict[str, Any] | None:
    if not "".join(values).strip():
        return None  # a blank line, as spreadsheets leave at the end
    raw: dict[str, Any] = dict(zip(columns, values, strict=False))
    if len(values) != len(columns):
        raw[RAGGED] = (len(values), len(columns))
    return raw


# -- A CSV file in pieces, for validating in several processes ------------------------------


def csv_pieces(path: Path, size: int) -> tuple[list[str], Iterator[bytes]]:
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
        columns = _header(reader)
    except DebtorFileError:
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


def _check_header(columns: list[str]) -> None:
    unknown = [column for column in columns if column not in FIELDS]
    if unknown:
        raise DebtorFileError(
            RowProblem(
                1, unknown[0], f"is not a column of the format; columns are {', '.join(FIELDS)}"
            )
        )
    repeated = sorted({column for column in columns if columns.count(column) > 1})
    if repeated:
        raise DebtorFileError(RowProblem(1, repeated[0], "is a column named twice"))
    missing = [f for f in FIELDS if f not in columns and f not in OPTIONAL_FIELDS]
    if missing:
        raise DebtorFileError(
            RowProblem(1, missing[0], "is a required column, missing from the header")
        )


def _read_json(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    # json reads a whole document at once; for exports of millions of rows use CSV, which streams.
    with path.open(encoding="utf-8-sig") as source:
        try:
            document = json.load(source)
        except json.JSONDecodeError as error:
            raise DebtorFileError(
                RowProblem(None, None, f"is not valid JSON: {error.msg} (line {error.lineno}, "
                           f"column {error.colno})")
            ) from None  # fmt: skip
    if not isinstance(document, list):
        raise DebtorFileError(RowProblem(None, None, "must be a JSON array of records"))
    for number, item in enumerate(document, start=1):
        yield number, item if isinstance(item, dict) else {RAGGED: "not an object"}


# -- Validating -----------------------------------------------------------------------------


class _RowReport:
    def __init__(self, row: int, problems: list[RowProblem]) -> None:
        self.row, self.problems, self.count = row, problems, 0

    def add(self, field_name: str | None, message: str) -> None:
        self.problems.append(RowProblem(self.row, field_name, message))
        self.count += 1


def _text(raw: dict[str, Any], name: str, report: _RowReport) -> str | None:
    value = raw.get(name)
    if value.__class__ is str and (value := value.strip()):
        limit = MAX_LENGTHS.get(name)
        if limit is None or len(value) <= limit:
            return value
        report.add(name, f"is longer than {limit} characters")
        return None
    if value is not None and value != "" and not isinstance(value, str):
        report.add(name, "must be text")
    elif name not in OPTIONAL_FIELDS:
        report.add(name, "is required")
    return None


def _blank(raw: dict[str, Any], name: str) -> bool:
    value = raw.get(name)
    return value is None or (isinstance(value, str) and not value.strip())


def _date(raw: dict[str, Any], name: str, report: _RowReport) -> dt.date | None:
    value = _text(raw, name, report)
    if value is None:
        return None
    date = _parse_date(value)
    if date is None:
        report.add(name, f"must be a date written YYYY-MM-DD, not {value!r}")
    return date


@functools.lru_cache(maxsize=4096)
def _parse_date(value: str) -> dt.date | None:
    # A list holds a few thousand distinct dates over a million rows: each is parsed once.
    if DATE_PATTERN.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    return None


def _enum(raw: dict[str, Any], name: str, kind: type[StrEnum], report: _RowReport):
    value = _text(raw, name, report)
    if value is None:
        return None
    member = kind._value2member_map_.get(value)  # a dict lookup: Enum(value) is slow per row
    if member is None:
        choices = ", ".join(member.value for member in kind)
        report.add(name, f"must be one of {choices}, not {value!r}")
    return member


def _circumstances(raw: dict[str, Any], report: _RowReport) -> tuple[Circumstance, ...] | None:
    value = raw.get("circumstances")
    if isinstance(value, str):
        parsed = _circumstances_in_text(value)
    elif isinstance(value, list) and all(isinstance(item, str) for item in value):
        parsed = _named_circumstances(tuple(value))
    elif value is None:
        parsed = _named_circumstances(())
    else:
        report.add("circumstances", "must be a list of circumstances")
        return None
    if isinstance(parsed, str):
        report.add("circumstances", parsed)
        return None
    return parsed


@functools.lru_cache(maxsize=1024)
def _circumstances_in_text(text: str) -> tuple[Circumstance, ...] | str:
    # A list repeats a few dozen combinations of the six circumstances: each is read once.
    return _named_circumstances(tuple(text.split(CIRCUMSTANCE_SEPARATOR)))


def _named_circumstances(items: tuple[str, ...]) -> tuple[Circumstance, ...] | str:
    """The circumstances the items name, or what is wrong with them."""
    keys = [item.strip() for item in items if item.strip()]
    if not keys:
        return "is required: at least one of the six statutory kinds"
    result = []
    for key in keys:
        circumstance = Circumstance._value2member_map_.get(key)
        if circumstance is None:
            choices = ", ".join(member.value for member in Circumstance)
            return f"{key!r} is not one of {choices}"
        if circumstance in result:
            return f"names {key!r} twice"
        result.append(circumstance)
    return tuple(result)


def parse_row(
    row: int,
    raw: dict[str, Any],
    keys: IdentityKeys,
    problems: list[RowProblem],
    *,
    demo: bool = False,
) -> DebtorRow | None:
    """Validate one raw row; return the record to store, or None after adding its problems."""
    report = _RowReport(row, problems)
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
        return None
    if not raw.keys() <= FIELD_SET:
        for name in raw:
            if name not in FIELD_SET:
                report.add(name, "is not a field of the format")

    record_id = _text(raw, "record_id", report)
    if record_id is not None:
        if not RECORD_ID_PATTERN.match(record_id):
            report.add("record_id", "may hold only letters, digits and . _ : / -")
        elif record_id.startswith(DEMO_PREFIX) != demo:
            report.add(
                "record_id",
                "only demonstration data, imported with --demo, has ids starting with DEMO-"
                if not demo
                else f"with --demo every record id must start with {DEMO_PREFIX}",
            )
    name = _text(raw, "name", report)
    name_key = names.name_key(name) if name else ""
    if name and not name_key:
        report.add("name", "has no letters once spaces are removed")
    elif len(name_key) > MAX_LENGTHS["name"]:  # ß -> ss, ㈱ -> (株): the key can be longer
        report.add("name", f"is longer than {MAX_LENGTHS['name']} characters once normalised")
    kind = _enum(raw, "kind", Kind, report)
    legal_representative = _text(raw, "legal_representative", report)
    published_on = _date(raw, "published_on", report)
    id_display, id_hash = _identity(raw, kind, published_on, keys, report)
    if kind is Kind.ORGANISATION and _blank(raw, "legal_representative"):
        report.add("legal_representative", "is required for an organisation")
    if kind is Kind.PERSON and legal_representative:
        report.add("legal_representative", "must be empty for a person")

    court = _text(raw, "court", report)
    case_number = _text(raw, "case_number", report)
    basis_document = _text(raw, "basis_document", report)
    basis_issuer = _text(raw, "basis_issuer", report)
    obligations = _text(raw, "obligations", report)
    performance = _enum(raw, "performance", Performance, report)
    circumstances = _circumstances(raw, report)
    listed_until = _date(raw, "listed_until", report)
    removed_on = _date(raw, "removed_on", report)
    removal_reason = _text(raw, "removal_reason", report)
    if published_on and listed_until and listed_until < published_on:
        report.add("listed_until", "is before published_on")
    if published_on and removed_on and removed_on < published_on:
        report.add("removed_on", "is before published_on")
    if removed_on and _blank(raw, "removal_reason"):
        report.add("removal_reason", "is required when removed_on is given")
    if removal_reason and _blank(raw, "removed_on"):
        report.add("removed_on", "is required when removal_reason is given")

    if report.count:
        return None
    return DebtorRow(
        record_id=record_id,
        name=name,
        name_key=name_key,
        kind=kind,
        id_display=id_display or "",
        id_hash=id_hash or "",
        legal_representative=legal_representative,
        court=court or "",
        case_number=case_number or "",
        basis_document=basis_document or "",
        basis_issuer=basis_issuer or "",
        obligations=obligations or "",
        performance=performance,
        circumstances=circumstances,
        published_on=published_on,
        listed_until=listed_until,
        removed_on=removed_on,
        removal_reason=removal_reason,
        demo=demo,
    )


def _identity(
    raw: dict[str, Any],
    kind: Kind | None,
    published_on: dt.date | None,
    keys: IdentityKeys,
    report: _RowReport,
) -> tuple[str | None, str | None]:
    """Validate the number for the record's kind; return its display form and its keyed hash."""
    value = raw.get("id_number")
    if value is not None and not isinstance(value, str):
        report.add("id_number", "must be text (quote it in JSON: a number loses its check X)")
        return None, None
    number = normalise_number(value or "")
    if not number:
        report.add("id_number", "is required")
        return None, None
    if kind is None:
        return None, None  # which rules apply is unknown; the kind's own problem is reported
    try:
        if kind is Kind.PERSON:
            birth = check_resident_id(number)
        else:
            check_credit_code(number)
            return number, keys.number_hash(number)
    except InvalidIdentity as error:
        what = "resident ID number" if kind is Kind.PERSON else "unified social credit code"
        report.add("id_number", f"is not a valid {what}: {error}")
        return None, None
    if published_on and age_on(birth, published_on) < ADULT_AGE:
        report.add("id_number", "belongs to a minor on published_on: minors are never listed")
        return None, None
    return mask_number(number), keys.number_hash(number)
