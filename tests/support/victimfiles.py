"""Victims' register rows for tests: valid rows by default, any field overridden, written as CSV or
JSON the way the court's system exports them, or added straight to a database."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from portal.db.models import VictimRecord
from portal.registers.identity import IdentityKeys, Kind, mask_number, normalise_number
from portal.text.names import name_key
from portal.victims.records import Failure, Payment
from portal.victims.summary import COUNTED, VictimChanges
from tests.support.debtorfiles import credit_code, resident_id

FIELDS = (
    "record_id", "case_key", "name", "kind", "id_number", "registered_on", "claimed_amount",
    "confirmed_amount", "status", "payments",
)  # fmt: skip
CASE_KEY = "demo-2026-01"


def payments_text(payments: list[dict[str, Any]]) -> str:
    """Payments in the CSV form: `batch|paid_on|amount[|S[|failure]]`, separated by `;`."""
    items = []
    for payment in payments:
        parts = [str(payment["batch"]), payment["paid_on"], payment["amount"]]
        if payment.get("supplementary") or payment.get("failure"):
            parts.append("S" if payment.get("supplementary") else "")
        if payment.get("failure"):
            parts.append(payment["failure"])
        items.append("|".join(parts))
    return ";".join(items)


def payment(
    batch: int = 1,
    paid_on: str = "2026-06-15",
    amount: str = "1000.00",
    supplementary: bool = False,
    failure: str | None = None,
) -> dict[str, Any]:
    """One payment in the JSON form."""
    return {
        "batch": batch, "paid_on": paid_on, "amount": amount,
        "supplementary": supplementary, "failure": failure,
    }  # fmt: skip


def victim(record_id: str = "V1", **fields: Any) -> dict[str, Any]:
    """A valid row of a person registered in the demonstration case, not yet checked.
    `payments` is a list of payment() dicts; write_csv turns it into the CSV form."""
    row: dict[str, Any] = {
        "record_id": record_id,
        "case_key": CASE_KEY,
        "name": "王芳",
        "kind": "person",
        "id_number": resident_id("310104", "19700315", "246"),
        "registered_on": "2026-03-20",
        "claimed_amount": "150000.00",
        "confirmed_amount": "",
        "status": "registered",
        "payments": [],
    }
    row.update(fields)
    return row


def confirmed_victim(record_id: str = "V1", **fields: Any) -> dict[str, Any]:
    """A confirmed victim paid in batch 1, whose batch 2 payment failed (closed account)."""
    row = victim(
        record_id,
        status="confirmed",
        confirmed_amount="120000.00",
        payments=[
            payment(1, "2026-06-15", "22115.00"),
            payment(2, "2026-09-30", "3000.00", failure="account_closed"),
        ],
    )
    row.update(fields)
    return row


def organisation_victim(record_id: str = "O1", **fields: Any) -> dict[str, Any]:
    """A valid row of an organisation registered in the demonstration case."""
    row = victim(record_id, name="上海某某投资咨询有限公司", kind="organisation",
                 id_number=credit_code("310104", "MA1GH7KQ"))  # fmt: skip
    row.update(fields)
    return row


def write_csv(path: Path, rows: list[dict[str, Any]]) -> Path:
    """Write rows as CSV with the full header (payments in the CSV form)."""
    with path.open("w", encoding="utf-8", newline="") as target:
        writer = csv.DictWriter(target, fieldnames=FIELDS)
        writer.writeheader()
        for row in rows:
            payments = row.get("payments")
            writer.writerow(
                {
                    **row,
                    "payments": payments_text(payments) if isinstance(payments, list) else payments,
                }
            )
    return path


def write_json(path: Path, rows: list[dict[str, Any]]) -> Path:
    """Write rows as a JSON array of objects (payments as lists of objects)."""
    path.write_text(json.dumps(rows, ensure_ascii=False), "utf-8")
    return path


def _fen(amount: str) -> int:
    return int(Decimal(amount) * 100)


def add_victims(session: Session, keys: IdentityKeys, rows: list[dict[str, Any]]) -> None:
    """Add valid rows (as victim() makes them) to the register and its summary, and commit:
    for tests of what reads the register, without an import file."""
    changes = VictimChanges()
    records = []
    for row in rows:
        number = normalise_number(row["id_number"])
        payments = [
            Payment(
                batch=item["batch"],
                amount_fen=_fen(item["amount"]),
                paid_on=dt.date.fromisoformat(item["paid_on"]),
                supplementary=bool(item.get("supplementary")),
                failure=Failure(item["failure"]) if item.get("failure") else None,
            ).to_json()
            for item in row["payments"]
        ]
        record = VictimRecord(
            record_id=row["record_id"],
            case_key=row["case_key"],
            name=row["name"],
            name_key=name_key(row["name"]),
            kind=row["kind"],
            id_display=mask_number(number) if row["kind"] == Kind.PERSON else number,
            id_hash=keys.number_hash(number),
            registered_on=dt.date.fromisoformat(row["registered_on"]),
            claimed_fen=_fen(row["claimed_amount"]),
            confirmed_fen=_fen(row["confirmed_amount"]) if row["confirmed_amount"] else None,
            status=row["status"],
            payments=payments,
            demo=row["case_key"].startswith("demo-"),
            row_hash=hashlib.sha256(repr(sorted(row.items())).encode()).hexdigest(),
        )
        records.append(record)
    session.add_all(records)
    changes.count([tuple(getattr(record, column.key) for column in COUNTED) for record in records])
    changes.apply(session)
    session.commit()
