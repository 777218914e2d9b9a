"""The private status check: a victim's own record, found only by the exact name, identity number
and case key together; anything else finds nothing, and says nothing about why."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from portal.db.models import VictimImport, VictimRecord
from portal.registers.identity import IdentityKeys
from portal.registers.query import InvalidQuery, ListState, parse_query
from portal.victims.records import Payment, Status

MAX_CASE_KEY_LENGTH = 200


class NextStep(StrEnum):
    """What the victim should do next; the web layer words it in each language."""

    WAIT_FOR_CHECK = "wait_for_check"  # registered: the court has not started checking
    WAIT_FOR_RESULT = "wait_for_result"  # under check: answer the court if it asks for more
    WAIT_FOR_PAYMENT = "wait_for_payment"  # confirmed, nothing paid yet
    FIX_ACCOUNT = "fix_account"  # a payment failed and was not paid since: give a new account
    WAIT_FOR_NEXT_BATCH = "wait_for_next_batch"  # paid so far; later batches follow the notice
    ANSWER_DISPUTE = "answer_dispute"  # disputed: bring evidence to the court in time
    ASK_COURT = "ask_court"  # rejected: the court's channel explains and hears objections


@dataclass(frozen=True)
class VictimStatus:
    """One victim's registration as the court last reported it (amounts in fen)."""

    case_key: str
    name: str
    kind: str
    id_display: str  # masked: the full number is never stored
    registered_on: dt.date
    status: Status
    claimed_fen: int
    confirmed_fen: int | None
    payments: tuple[Payment, ...]
    demo: bool

    @property
    def paid_fen(self) -> int:
        """What reached the victim: the payments that did not fail."""
        return sum(payment.amount_fen for payment in self.payments if payment.paid)

    @property
    def unresolved_failures(self) -> tuple[Payment, ...]:
        """Failed payments with no later successful payment of the same batch."""
        return tuple(
            failed
            for failed in self.payments
            if not failed.paid
            and not any(
                later.paid and later.batch == failed.batch and later.paid_on >= failed.paid_on
                for later in self.payments
            )
        )

    @property
    def next_step(self) -> NextStep:
        """What to do next, from the status and the payments."""
        if self.status is Status.CONFIRMED:
            if self.unresolved_failures:
                return NextStep.FIX_ACCOUNT
            return NextStep.WAIT_FOR_NEXT_BATCH if self.payments else NextStep.WAIT_FOR_PAYMENT
        return {
            Status.REGISTERED: NextStep.WAIT_FOR_CHECK,
            Status.UNDER_CHECK: NextStep.WAIT_FOR_RESULT,
            Status.DISPUTED: NextStep.ANSWER_DISPUTE,
            Status.REJECTED: NextStep.ASK_COURT,
        }[self.status]


# Built once with bound parameters: the check runs on every POST. Every column is constrained,
# so the index on (id_hash, name_key, case_key) finds the one record.
_MATCHING = (
    select(VictimRecord)
    .where(
        VictimRecord.id_hash == bindparam("id_hash"),
        VictimRecord.name_key == bindparam("name_key"),
        VictimRecord.case_key == bindparam("case_key"),
    )
    .order_by(VictimRecord.record_id)
    .limit(1)
)
_LATEST_IMPORT = (
    select(VictimImport.happened_at)
    .where(VictimImport.action == "import")
    .order_by(VictimImport.happened_at.desc(), VictimImport.id.desc())
    .limit(1)
)


def check_status(
    session: Session, name: str | None, number: str | None, case_key: str | None,
    keys: IdentityKeys,
) -> VictimStatus | None:  # fmt: skip
    """The victim registered in case `case_key` under exactly this name and number; None for
    anything else (invalid input included), whatever the reason."""
    try:
        query = parse_query(name, number, require_number=True)
    except InvalidQuery:
        return None
    case_key = (case_key or "").strip()
    if not case_key or len(case_key) > MAX_CASE_KEY_LENGTH or query.number is None:
        return None
    record = session.scalars(
        _MATCHING,
        {
            "id_hash": keys.number_hash(query.number),
            "name_key": query.name_key,
            "case_key": case_key,
        },
    ).first()
    if record is None:
        return None
    return VictimStatus(
        case_key=record.case_key,
        name=record.name,
        kind=record.kind,
        id_display=record.id_display,
        registered_on=record.registered_on,
        status=Status(record.status),
        claimed_fen=record.claimed_fen,
        confirmed_fen=record.confirmed_fen,
        payments=tuple(Payment.from_json(stored) for stored in record.payments),
        demo=record.demo,
    )


def register_as_of(session: Session) -> dt.datetime | None:
    """When the victims' register was last imported (UTC); None before the first import."""
    happened_at = session.scalar(_LATEST_IMPORT)
    if happened_at is not None and happened_at.tzinfo is None:  # SQLite hands back naive UTC
        happened_at = happened_at.replace(tzinfo=dt.UTC)
    return happened_at


_LATEST_STATE = (
    select(VictimImport.happened_at, VictimImport.demo)
    .where(VictimImport.action == "import")
    .order_by(VictimImport.happened_at.desc(), VictimImport.id.desc())
    .limit(1)
)


def register_state(session: Session) -> ListState | None:
    """When the register was last imported and whether it is the fictional demonstration
    register (what the public figures say of their source); None before the first import."""
    latest = session.execute(_LATEST_STATE).first()
    if latest is None:
        return None
    happened_at, demo = latest
    if happened_at.tzinfo is None:  # SQLite hands back naive UTC
        happened_at = happened_at.replace(tzinfo=dt.UTC)
    return ListState(as_of=happened_at, demo=demo)
