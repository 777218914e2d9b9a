"""What a record of the victims' register holds: statuses, payments and their failures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any


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
