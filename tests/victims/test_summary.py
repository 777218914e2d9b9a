"""The summary counts records in as written and out as they were: it equals a recount."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from portal.db.models import VictimRecord
from portal.registers.identity import IdentityKeys
from portal.victims.summary import COUNTED, VictimChanges
from tests.support.debtorfiles import TEST_SECRET, resident_id
from tests.support.victimfiles import add_victims, confirmed_victim, recount, summary, victim

KEYS = IdentityKeys.from_secret(TEST_SECRET)


def test_changing_and_dropping_records_keeps_the_summary_exact(
    factory: sessionmaker[Session],
) -> None:
    rows = [confirmed_victim("C1"), victim("R1", id_number=resident_id(sequence="777"))]
    with factory() as session:
        add_victims(session, KEYS, rows)
        assert summary(session) == recount(session)
        record = session.scalars(select(VictimRecord).where(VictimRecord.record_id == "R1")).one()
        changes = VictimChanges()
        changes.count([tuple(getattr(record, c.key) for c in COUNTED)], sign=-1)
        record.status, record.confirmed_fen = "confirmed", 100
        record.payments = [
            {"batch": 1, "amount": 50, "paid_on": "2026-06-15", "supplementary": False,
             "failure": None}
        ]  # fmt: skip
        changes.count([tuple(getattr(record, c.key) for c in COUNTED)])
        dropped = session.scalars(select(VictimRecord).where(VictimRecord.record_id == "C1")).one()
        changes.count([tuple(getattr(dropped, c.key) for c in COUNTED)], sign=-1)
        session.delete(dropped)
        changes.apply(session)
        session.flush()
        assert summary(session) == recount(session)
        statuses, payments = summary(session)
        assert statuses == {("demo-2026-01", "confirmed", 1, 15_000_000, 100)}
        assert {row[4:] for row in payments} == {(1, 50, 0)}
