"""Each case's public aggregates, read from the summary: exact, and withheld under 10 people."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy.orm import Session, sessionmaker

from portal.registers.identity import IdentityKeys
from portal.victims.figures import case_figures, registrations_since
from portal.victims.records import Status
from tests.support.debtorfiles import TEST_SECRET, resident_id
from tests.support.victimfiles import CASE_KEY, add_victims, confirmed_victim, payment, victim

KEYS = IdentityKeys.from_secret(TEST_SECRET)


def people(count: int, start: int = 0, **fields) -> list[dict]:
    """`count` confirmed victims with distinct numbers, each paid 1,000 yuan in batch 1."""
    return [
        confirmed_victim(
            f"V{start + index}",
            id_number=resident_id(sequence=f"{start + index:03d}"),
            confirmed_amount="5000.00",
            payments=[payment(1, "2026-06-15" if index % 2 else "2026-06-16", "1000.00")],
            **fields,
        )
        for index in range(count)
    ]


def test_a_case_with_enough_people_shows_every_figure(factory: sessionmaker[Session]) -> None:
    rows = people(12)
    rows += [victim(f"R{i}", id_number=resident_id(sequence=f"{500 + i}")) for i in range(10)]
    rows[0]["payments"].append(payment(2, "2026-09-30", "100.00", failure="account_frozen"))
    with factory() as session:
        add_victims(session, KEYS, rows)
        figures = case_figures(session, CASE_KEY)
    assert figures is not None
    assert figures.registered_people == 22
    assert figures.confirmed_people == 12
    assert figures.confirmed_fen == 12 * 500_000
    assert figures.status(Status.REGISTERED).claimed_fen == 10 * 15_000_000
    assert figures.recovered_fen == 12 * 100_000
    assert figures.ratio_percent == Decimal("20.00000")
    first = figures.batches[0]
    assert (first.batch, first.people, first.paid_fen) == (1, 12, 1_200_000)
    assert (str(first.first_paid_on), str(first.last_paid_on)) == ("2026-06-15", "2026-06-16")
    # One failed payment in batch 2: a figure over one person, withheld.
    second = figures.batches[1]
    assert (second.batch, second.people, second.failed, second.first_paid_on) == (
        2,
        None,
        None,
        None,
    )


def test_no_figure_is_shown_over_fewer_than_ten_people(factory: sessionmaker[Session]) -> None:
    rows = people(9) + [
        victim(f"R{i}", id_number=resident_id(sequence=f"{500 + i}")) for i in range(3)
    ]
    with factory() as session:
        add_victims(session, KEYS, rows)
        figures = case_figures(session, CASE_KEY)
    assert figures is not None
    assert figures.registered_people == 12
    confirmed = figures.status(Status.CONFIRMED)
    assert (confirmed.people, confirmed.claimed_fen, confirmed.confirmed_fen) == (None, None, None)
    assert figures.recovered_fen is None
    assert figures.ratio_percent is None
    assert figures.batches[0].people is None
    assert figures.batches[0].paid_fen is None


def test_a_case_nobody_registered_in_has_no_figures(factory: sessionmaker[Session]) -> None:
    with factory() as session:
        add_victims(session, KEYS, people(10))
        assert case_figures(session, "demo-2099-01") is None


def test_the_figures_period_starts_at_the_year_of_the_earliest_registration(
    factory: sessionmaker[Session],
) -> None:
    with factory() as session:
        assert registrations_since(session) is None  # nobody registered: no period
        rows = people(10, registered_on="2026-03-20")
        # One person registered before everyone else: the day would be theirs alone.
        rows.append(victim("E1", id_number=resident_id(sequence="900"), registered_on="2025-11-07"))
        add_victims(session, KEYS, rows)
        assert registrations_since(session) == dt.date(2025, 1, 1)
