"""The victims' register's records: statuses, payments and their failures, and the rules of each
row of its import file (the file reading and field readers are portal/registers/files.py's)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from portal.registers.files import (
    FileFormat,
    RowProblem,
    RowReport,
    blank,
    date,
    enum,
    identity,
    members_by_value,
    name_and_key,
    parse_date,
    shape_problems,
    text,
)
from portal.registers.files import record_id as read_record_id
from portal.registers.identity import IdentityKeys, Kind


class Status(StrEnum):
    """Where a victim's registration stands at the court."""

    REGISTERED = "registered"
    UNDER_CHECK = "under_check"
    CONFIRMED = "confirmed"
    DISPUTED = "disputed"
    REJECTED = "rejected"


class Failure(StrEnum):
    """Why a payment did not reach the victim."""

    ACCOUNT_CLOSED = "account_closed"
    ACCOUNT_FROZEN = "account_frozen"
    NAME_MISMATCH = "name_mismatch"
    OTHER = "other"


FAILURES_BY_VALUE = members_by_value(Failure)


@dataclass(frozen=True)
class Payment:
    """One payment to a victim: its batch (or that batch's supplementary round), amount in fen,
    day, and why it failed (None: it was paid)."""

    batch: int
    amount_fen: int
    paid_on: dt.date
    supplementary: bool = False
    failure: Failure | None = None

    @property
    def paid(self) -> bool:
        return self.failure is None

    def to_json(self) -> dict[str, Any]:
        """The form stored in VictimRecord.payments."""
        return {
            "batch": self.batch,
            "amount": self.amount_fen,
            "paid_on": self.paid_on.isoformat(),
            "supplementary": self.supplementary,
            "failure": self.failure.value if self.failure else None,
        }

    @classmethod
    def from_json(cls, stored: dict[str, Any]) -> Payment:
        """A payment as VictimRecord.payments stores it."""
        failure = stored.get("failure")
        return cls(
            batch=stored["batch"],
            amount_fen=stored["amount"],
            paid_on=dt.date.fromisoformat(stored["paid_on"]),
            supplementary=bool(stored.get("supplementary")),
            failure=Failure(failure) if failure else None,
        )


def yuan(fen: int) -> Decimal:
    """An amount in fen as yuan, exactly (123456 -> Decimal('1234.56'))."""
    return Decimal(fen).scaleb(-2)


# -- The import file ------------------------------------------------------------------------

FIELDS = (
    "record_id", "case_key", "name", "kind", "id_number", "registered_on", "claimed_amount",
    "confirmed_amount", "status", "payments",
)  # fmt: skip
OPTIONAL_FIELDS = frozenset({"confirmed_amount", "payments"})
MAX_LENGTHS = {"record_id": 64, "case_key": 200, "name": 200}
VICTIM_FORMAT = FileFormat(FIELDS, OPTIONAL_FIELDS, MAX_LENGTHS)
# Yuan with at most two decimals; 13 digits of yuan keep every sum of fen within a BigInteger.
AMOUNT_PATTERN = re.compile(r"^(\d{1,13})(?:\.(\d{1,2}))?$")
PAYMENT_SEPARATOR = ";"
PART_SEPARATOR = "|"
SUPPLEMENTARY_MARK = "S"
PAYMENT_PARTS = ("batch", "paid_on", "amount", "supplementary", "failure")
_PAYMENT_PART_SET = frozenset(PAYMENT_PARTS)
# Sorted keys: the row hash's form, and the form payments are stored in (written once, below).
_JSON_ENCODER = json.JSONEncoder(ensure_ascii=False, default=str, sort_keys=True)


@dataclass(frozen=True)
class ImportContext:
    """What rows are checked against, read once before them: the cases that have a notice and
    the courts' day (nothing may be registered or paid after it)."""

    case_keys: frozenset[str]
    today: dt.date


def fen(value: Any) -> int | str:
    """An amount in yuan as whole fen, or what is wrong with it (never the value itself)."""
    if not isinstance(value, str):  # text is the rule: other values are told what is wrong
        if isinstance(value, bool | float):
            return 'must be written as text such as "1234.56" (a JSON number can lose cents)'
        if not isinstance(value, int):
            return "must be an amount in yuan such as 1234.56"
        value = str(value)
    match = AMOUNT_PATTERN.match(value.strip())
    if match is None:
        return "must be an amount in yuan, 0 or more, with at most 2 decimals, such as 1234.56"
    whole, cents = match.groups()
    return int(whole) * 100 + (int(cents.ljust(2, "0")) if cents else 0)


def _payment_items(value: Any) -> list[dict[str, Any] | list[str]] | str:
    """The payments as written: from JSON, objects of {part: raw value}; from the CSV text,
    each payment's parts in PAYMENT_PARTS' order, those left out empty."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return []
    if isinstance(value, list):
        if not all(isinstance(item, dict) for item in value):
            return "must be a list of objects with batch, paid_on, amount, supplementary, failure"
        return value
    if not isinstance(value, str):
        return "must be payments written batch|paid_on|amount[|S][|failure], separated by ;"
    items: list[dict[str, Any] | list[str]] = []
    for text_item in value.split(PAYMENT_SEPARATOR):
        parts = [part.strip() for part in text_item.split(PART_SEPARATOR)]
        if len(parts) < 3 or len(parts) > len(PAYMENT_PARTS):
            return (
                f"payment {len(items) + 1} must be batch|paid_on|amount, optionally followed by "
                "|S (a supplementary round) and |failure"
            )
        items.append(parts + [""] * (len(PAYMENT_PARTS) - len(parts)))
    return items


def _payment(
    number: int, item: dict[str, Any] | list[str], today: dt.date | None, report: RowReport
) -> dict[str, Any] | None:
    """One payment as VictimRecord.payments stores it, or None after adding its problems."""
    before = report.count

    def problem(part: str, message: str) -> None:
        report.add(f"payments[{number}].{part}", message)

    if isinstance(item, dict):  # from JSON: its parts by name, any other name a problem
        for name in sorted(item.keys() - _PAYMENT_PART_SET):
            problem(name, "is not a part of a payment")
        item = [item.get(part) for part in PAYMENT_PARTS]
    batch, paid_on, amount, supplementary, failure = item
    if isinstance(batch, str) and batch.strip().isdigit():
        batch = int(batch)
    if isinstance(batch, bool) or not isinstance(batch, int) or batch < 1:
        problem("batch", "must be a whole number, 1 or more")
    day = parse_date(paid_on) if isinstance(paid_on, str) else None
    if day is None:
        problem("paid_on", "must be a date written YYYY-MM-DD")
    elif today is not None and day > today:
        problem("paid_on", "is in the future")
    amount = fen(amount)
    if isinstance(amount, str):
        problem("amount", amount)
    if isinstance(supplementary, str):
        if supplementary not in ("", SUPPLEMENTARY_MARK):
            problem("supplementary", "must be S or left empty")
        supplementary = supplementary == SUPPLEMENTARY_MARK
    elif supplementary is None:
        supplementary = False
    elif not isinstance(supplementary, bool):
        problem("supplementary", "must be true or false")
    failure = failure or None
    if failure is not None and failure not in FAILURES_BY_VALUE:
        choices = ", ".join(member.value for member in Failure)
        problem("failure", f"must be one of {choices}, or left empty")
    if report.count != before:
        return None
    return {
        "batch": batch, "amount": amount, "paid_on": day.isoformat(),  # type: ignore[union-attr]
        "supplementary": supplementary, "failure": failure,
    }  # fmt: skip


def _payments(value: Any, today: dt.date | None, report: RowReport) -> list[dict[str, Any]] | None:
    items = _payment_items(value)
    if isinstance(items, str):
        report.add("payments", items)
        return None
    before = report.count
    stored = [_payment(number, item, today, report) for number, item in enumerate(items, 1)]
    return stored if report.count == before else None  # type: ignore[return-value]


def parse_row(
    row: int,
    raw: dict[str, Any],
    keys: IdentityKeys,
    problems: list[RowProblem],
    demo: bool,
    context: ImportContext | None,
) -> tuple[Any, ...] | None:
    """Validate one raw row; return its stored values (STORED_COLUMNS' order, the payments as
    their JSON text), or None after adding its problems."""
    report = RowReport(row, problems, VICTIM_FORMAT)
    if shape_problems(raw, report):
        return None
    today = context.today if context else None
    record_id = read_record_id(raw, report, demo)
    case_key = text(raw, "case_key", report)
    if case_key and context is not None and case_key not in context.case_keys:
        report.add("case_key", "is not the key of a loaded victims' notice (content/victims/)")
    name, name_key = name_and_key(raw, report)
    kind = enum(raw, "kind", Kind, report)
    id_display, id_hash, _birth = identity(raw, kind, keys, report)
    registered_on = date(raw, "registered_on", report)
    if registered_on and today and registered_on > today:
        report.add("registered_on", "is in the future")
    claimed = fen(raw.get("claimed_amount")) if not blank(raw, "claimed_amount") else None
    if claimed is None:
        report.add("claimed_amount", "is required")
    elif isinstance(claimed, str):
        report.add("claimed_amount", claimed)
    status = enum(raw, "status", Status, report)
    confirmed: int | str | None = None
    if not blank(raw, "confirmed_amount"):
        confirmed = fen(raw.get("confirmed_amount"))
        if isinstance(confirmed, str):
            report.add("confirmed_amount", confirmed)
        elif status is not None and status is not Status.CONFIRMED:
            report.add("confirmed_amount", "must be empty unless the status is confirmed")
    elif status is Status.CONFIRMED:
        report.add("confirmed_amount", "is required when the status is confirmed")
    payments = _payments(raw.get("payments"), today, report)
    if payments and status is not None and status is not Status.CONFIRMED:
        report.add("payments", "are possible only when the status is confirmed")
    if payments and isinstance(confirmed, int):
        paid = sum(payment["amount"] for payment in payments if payment["failure"] is None)
        if paid > confirmed:
            report.add("payments", "add up to more than the confirmed amount")
    if report.count:
        return None
    before_payments = (
        record_id, case_key, name, name_key, kind.value, id_display, id_hash, registered_on,
        claimed, confirmed, status.value,
    )  # fmt: skip
    # The payments are encoded once, here: that text is both stored as is (the spec's
    # json_text) and the payments' part of the row hash's JSON array of every stored value.
    stored_payments = _JSON_ENCODER.encode(payments)
    hashed = (
        f"{_JSON_ENCODER.encode(before_payments)[:-1]}, {stored_payments}, "
        f"{'true' if demo else 'false'}]"  # demo as JSON writes it
    )
    row_hash = hashlib.sha256(hashed.encode()).hexdigest()
    return (*before_payments, stored_payments, demo, row_hash)


STORED_COLUMNS = (
    "record_id", "case_key", "name", "name_key", "kind", "id_display", "id_hash",
    "registered_on", "claimed_fen", "confirmed_fen", "status", "payments", "demo", "row_hash",
)  # fmt: skip
