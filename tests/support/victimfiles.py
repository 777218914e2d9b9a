"""Victims' register rows for tests: valid rows by default, any field overridden, written as CSV or
JSON the way the court's system exports them, or added straight to a database."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from portal.db.models import VictimNotice, VictimPaymentCount, VictimRecord, VictimStatusCount
from portal.registers.files import RowProblem
from portal.registers.identity import IdentityKeys
from portal.victims.records import FIELDS, STORED_COLUMNS, parse_row
from portal.victims.summary import COUNTED, VictimChanges, fill_victim_summary
from tests.support.debtorfiles import credit_code, resident_id

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


def add_victims(session: Session, keys: IdentityKeys, rows: list[dict[str, Any]]) -> None:
    """Add valid rows (as victim() makes them) to the register and its summary, and commit:
    for tests of what reads the register, without an import file. The rows are checked by the
    import's own rules (any problem fails the test)."""
    changes = VictimChanges()
    records = []
    for number, row in enumerate(rows, start=1):
        problems: list[RowProblem] = []
        values = parse_row(number, row, keys, problems, row["record_id"].startswith("DEMO-"), None)
        assert values is not None, problems
        stored = dict(zip(STORED_COLUMNS, values, strict=True))
        # The parser gives the payments as their JSON text, which the import stores as it is.
        records.append(VictimRecord(**{**stored, "payments": json.loads(stored["payments"])}))
    session.add_all(records)
    changes.count([tuple(getattr(record, column.key) for column in COUNTED) for record in records])
    changes.apply(session)
    session.commit()


def add_notice(session: Session, key: str = CASE_KEY, lang: str = "en") -> None:
    """A minimal loaded notice of case `key`, so that the import accepts its victims."""
    day = dt.date(2026, 3, 2)
    session.add(
        VictimNotice(
            key=key, lang=lang, title=f"Notice {key}", date=day, summary="s", court="c",
            case_number="n", crime="fraudulent fund-raising", opens=day, closes=day,
            channel="the court", who_may_register="w", materials=["m"], anti_fraud="a",
            payout_rules="p", body_html="<p>b</p>", source_path=f"victims/{key}.{lang}.md",
            source_hash="0" * 64, demonstration=key.startswith("demo-"),
        )
    )  # fmt: skip
    session.commit()


def summary(session: Session) -> tuple[set, set]:
    """The summary's non-zero rows: (statuses, payments)."""
    statuses = {
        tuple(row) for row in session.execute(
            select(VictimStatusCount.case_key, VictimStatusCount.status, VictimStatusCount.people,
                   VictimStatusCount.claimed_fen, VictimStatusCount.confirmed_fen)
            .where(VictimStatusCount.people != 0)
        )
    }  # fmt: skip
    payments = {
        tuple(row) for row in session.execute(
            select(VictimPaymentCount.case_key, VictimPaymentCount.batch,
                   VictimPaymentCount.supplementary, VictimPaymentCount.paid_on,
                   VictimPaymentCount.paid_people, VictimPaymentCount.paid_fen,
                   VictimPaymentCount.failed)
            .where((VictimPaymentCount.paid_people != 0) | (VictimPaymentCount.failed != 0))
        )
    }  # fmt: skip
    return statuses, payments


def recount(session: Session) -> tuple[set, set]:
    """The summary as counted afresh from the records (a nested transaction, rolled back)."""
    with session.begin_nested() as nested:
        session.execute(delete(VictimStatusCount))
        session.execute(delete(VictimPaymentCount))
        fill_victim_summary(session)
        counted = summary(session)
        nested.rollback()
    return counted
