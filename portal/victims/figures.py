"""The public aggregates of each case's register, read from its summary (a few rows a case).

No figure is published over fewer than MIN_PEOPLE people (the notices' rule): such a figure is
None, and the pages say it is withheld.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session

from portal.content.victims import MIN_PEOPLE
from portal.db.models import VictimPaymentCount, VictimRecord, VictimStatusCount
from portal.victims.records import Status

RATIO_PLACES = Decimal("0.00001")


def _shown(people: int, value: int) -> int | None:
    return value if people >= MIN_PEOPLE else None


@dataclass(frozen=True)
class StatusFigure:
    """The victims of a case in one status (None: fewer than MIN_PEOPLE, withheld)."""

    status: Status
    people: int | None
    claimed_fen: int | None
    confirmed_fen: int | None


@dataclass(frozen=True)
class BatchFigure:
    """A batch (or its supplementary round) of a case: people paid, fen paid, failed payments,
    first and last day paid (None: over fewer than MIN_PEOPLE, withheld)."""

    batch: int
    supplementary: bool
    people: int | None
    paid_fen: int | None
    failed: int | None
    first_paid_on: dt.date | None
    last_paid_on: dt.date | None


@dataclass(frozen=True)
class CaseFigures:
    """A case's public aggregates: registered victims, each status, the confirmed claims, what
    was recovered and paid, the return ratio and the batches."""

    case_key: str
    registered_people: int | None
    statuses: tuple[StatusFigure, ...]
    batches: tuple[BatchFigure, ...]
    recovered_fen: int | None
    paid_people: int | None

    def status(self, status: Status) -> StatusFigure | None:
        """The figure of one status; None if no victim of the case is in it."""
        return next((figure for figure in self.statuses if figure.status is status), None)

    @property
    def confirmed_people(self) -> int | None:
        figure = self.status(Status.CONFIRMED)
        return figure.people if figure else None

    @property
    def confirmed_fen(self) -> int | None:
        figure = self.status(Status.CONFIRMED)
        return figure.confirmed_fen if figure else None

    @property
    def ratio_percent(self) -> Decimal | None:
        """Recovered ÷ confirmed claims, as a percentage to five decimals (18.42915)."""
        if not self.confirmed_fen or self.recovered_fen is None:
            return None
        ratio = Decimal(self.recovered_fen) * 100 / Decimal(self.confirmed_fen)
        return ratio.quantize(RATIO_PLACES, rounding=ROUND_HALF_UP)


_STATUSES = select(
    VictimStatusCount.case_key,
    VictimStatusCount.status,
    VictimStatusCount.people,
    VictimStatusCount.claimed_fen,
    VictimStatusCount.confirmed_fen,
).where(VictimStatusCount.people > 0)
_PAID_DAY = case((VictimPaymentCount.paid_people > 0, VictimPaymentCount.paid_on))
_BATCHES = (
    select(
        VictimPaymentCount.case_key,
        VictimPaymentCount.batch,
        VictimPaymentCount.supplementary,
        func.sum(VictimPaymentCount.paid_people),
        func.sum(VictimPaymentCount.paid_fen),
        func.sum(VictimPaymentCount.failed),
        func.min(_PAID_DAY),
        func.max(_PAID_DAY),
    )
    .where(or_(VictimPaymentCount.paid_people > 0, VictimPaymentCount.failed > 0))
    .group_by(
        VictimPaymentCount.case_key, VictimPaymentCount.batch, VictimPaymentCount.supplementary
    )
    .order_by(VictimPaymentCount.batch, VictimPaymentCount.supplementary)
)


def all_case_figures(session: Session, case_key: str | None = None) -> dict[str, CaseFigures]:
    """case key → its figures, for every case with a registered victim (or the one asked for)."""
    statuses, batches = _STATUSES, _BATCHES
    if case_key is not None:
        statuses = statuses.where(VictimStatusCount.case_key == case_key)
        batches = batches.where(VictimPaymentCount.case_key == case_key)
    by_case: dict[str, list[tuple[Status, int, int, int]]] = {}
    for key, status, people, claimed, confirmed in session.execute(statuses):
        by_case.setdefault(key, []).append((Status(status), people, claimed, confirmed))
    batches_of: dict[str, list[BatchFigure]] = {}
    paid_of: dict[str, tuple[int, int]] = {}
    for key, batch, supplementary, people, paid, failed, first, last in session.execute(batches):
        people, paid, failed = int(people or 0), int(paid or 0), int(failed or 0)
        shown = people >= MIN_PEOPLE
        batches_of.setdefault(key, []).append(
            BatchFigure(
                batch=batch,
                supplementary=bool(supplementary),
                people=_shown(people, people),
                paid_fen=_shown(people, paid),
                failed=_shown(failed, failed),
                first_paid_on=_day(first) if shown else None,
                last_paid_on=_day(last) if shown else None,
            )
        )
        total_people, total_paid = paid_of.get(key, (0, 0))
        paid_of[key] = (total_people + people, total_paid + paid)
    figures = {}
    for key, rows in by_case.items():
        registered = sum(people for _, people, _, _ in rows)
        order = list(Status)
        paid_people, paid = paid_of.get(key, (0, 0))
        figures[key] = CaseFigures(
            case_key=key,
            registered_people=_shown(registered, registered),
            statuses=tuple(
                StatusFigure(
                    status=status,
                    people=_shown(people, people),
                    claimed_fen=_shown(people, claimed),
                    confirmed_fen=_shown(people, confirmed),
                )
                for status, people, claimed, confirmed in sorted(
                    rows, key=lambda row: order.index(row[0])
                )
            ),
            batches=tuple(batches_of.get(key, ())),
            # Payments people count once per payment: a victim paid in two batches counts twice,
            # so the total is withheld by the same rule on that count.
            recovered_fen=_shown(paid_people, paid),
            paid_people=_shown(paid_people, paid_people),
        )
    return figures


def case_figures(session: Session, case_key: str) -> CaseFigures | None:
    """One case's figures; None if no victim of it is registered."""
    return all_case_figures(session, case_key).get(case_key)


def _day(value: dt.date | str | None) -> dt.date | None:
    # SQLite hands back the MIN() of a date column as text.
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def registrations_since(session: Session) -> dt.date | None:
    """1 January of the year of the register's earliest registration, where the figures' period
    starts. Not the day: the earliest day is one person's, and no figure is about fewer than
    MIN_PEOPLE people."""
    earliest = session.scalar(select(func.min(VictimRecord.registered_on)))
    return None if earliest is None else dt.date(earliest.year, 1, 1)
