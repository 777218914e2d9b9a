"""The victims' register's summary: per case and status (people, claimed and confirmed fen) and
per case, batch, round and day (people paid, fen paid, failed payments). It is kept in the same
transaction as the writes to the register: the records a write changes are counted out as they
were and in as they are written, so the public aggregates read a few rows, never the records."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from portal.db.models import VictimPaymentCount, VictimRecord, VictimStatusCount
from portal.db.register_summary import add_counts
from portal.registers.importer import CountedInPython

STATUSES = VictimStatusCount.__table__
PAYMENTS = VictimPaymentCount.__table__
# What a record is counted by, as VictimChanges.count takes it.
COUNTED = (
    VictimRecord.case_key,
    VictimRecord.status,
    VictimRecord.claimed_fen,
    VictimRecord.confirmed_fen,
    VictimRecord.payments,
)
FILL_BATCH = 10_000

# A record as VictimChanges counts it: the values of COUNTED (payments as stored, or as their
# JSON text when counted as staged).
Counted = Sequence[Any]


class VictimChanges(CountedInPython):
    """Changes to the summary, gathered while records are written and added by `apply`, in the
    same transaction as the records."""

    def __init__(self) -> None:
        self.statuses: dict[tuple[str, str], list[int]] = {}
        self.payments: dict[tuple[str, int, bool, Any], list[int]] = {}

    def count(self, records: Iterable[Counted], sign: int = 1) -> None:
        """Count records as they are written (sign 1) or as they were before a change (-1)."""
        statuses, payments = self.statuses, self.payments
        for case_key, status, claimed, confirmed, paid in records:
            if isinstance(paid, str):  # as staged: the payments' JSON text
                paid = json.loads(paid) if paid != "[]" else ()  # not paid yet: nothing to read
            numbers = statuses.get((case_key, status))
            if numbers is None:
                numbers = statuses[case_key, status] = [0, 0, 0]
            numbers[0] += sign
            numbers[1] += sign * claimed
            numbers[2] += sign * (confirmed or 0)
            for payment in paid:
                # paid_on stays ISO text here: it sorts as the date does, and is bound as one.
                key = (
                    case_key,
                    payment["batch"],
                    bool(payment["supplementary"]),
                    payment["paid_on"],
                )
                numbers = payments.get(key)
                if numbers is None:
                    numbers = payments[key] = [0, 0, 0]
                if payment["failure"] is None:
                    numbers[0] += sign
                    numbers[1] += sign * payment["amount"]
                else:
                    numbers[2] += sign

    def apply(self, session: Session | Connection) -> None:
        """Add the changes to the summary, in the session's transaction, and forget them."""
        add_counts(
            session, STATUSES, ("case_key", "status"), ("people", "claimed_fen", "confirmed_fen"),
            self.statuses,
        )  # fmt: skip
        payments = {
            (case_key, batch, supplementary, _date(paid_on)): numbers
            for (case_key, batch, supplementary, paid_on), numbers in self.payments.items()
        }
        add_counts(
            session, PAYMENTS, ("case_key", "batch", "supplementary", "paid_on"),
            ("paid_people", "paid_fen", "failed"), payments,
        )  # fmt: skip
        self.statuses.clear()
        self.payments.clear()


def _date(value: Any) -> Any:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def fill_victim_summary(session: Session) -> None:
    """Count every record of the register into an empty summary."""
    changes = VictimChanges()
    rows = session.execute(select(*COUNTED), execution_options={"yield_per": FILL_BATCH})
    for batch in rows.partitions():
        changes.count(batch)
    changes.apply(session)
