"""The private status check: each status with what to do next, payments and a failed one, and
nothing at all for anything that is not an exact name, number and case key."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session, sessionmaker

from portal.registers.identity import IdentityKeys
from portal.victims.records import Failure, Status
from portal.victims.status import NextStep, check_status
from tests.support.debtorfiles import TEST_SECRET, resident_id
from tests.support.victimfiles import (
    CASE_KEY,
    add_victims,
    confirmed_victim,
    organisation_victim,
    payment,
    victim,
)

KEYS = IdentityKeys.from_secret(TEST_SECRET)


@pytest.mark.parametrize(
    ("fields", "step"),
    [
        ({"status": "registered"}, NextStep.WAIT_FOR_CHECK),
        ({"status": "under_check"}, NextStep.WAIT_FOR_RESULT),
        ({"status": "disputed"}, NextStep.ANSWER_DISPUTE),
        ({"status": "rejected"}, NextStep.ASK_COURT),
        ({"status": "confirmed", "confirmed_amount": "90000.00"}, NextStep.WAIT_FOR_PAYMENT),
    ],
)
def test_each_status_says_what_to_do_next(
    factory: sessionmaker[Session], fields: dict, step: NextStep
) -> None:
    row = victim(**fields)
    with factory() as session:
        add_victims(session, KEYS, [row])
        found = check_status(session, row["name"], row["id_number"], CASE_KEY, KEYS)
    assert found is not None
    assert found.status is Status(fields["status"])
    assert found.next_step is step
    assert found.claimed_fen == 15_000_000
    assert found.id_display == row["id_number"][:6] + "*" * 12
    assert found.payments == ()


def test_a_confirmed_victim_sees_payments_and_the_failed_one(
    factory: sessionmaker[Session],
) -> None:
    row = confirmed_victim()
    with factory() as session:
        add_victims(session, KEYS, [row])
        found = check_status(session, " 王 芳 ", row["id_number"].lower(), CASE_KEY, KEYS)
    assert found is not None
    assert found.confirmed_fen == 12_000_000
    assert [(p.batch, p.amount_fen, p.paid) for p in found.payments] == [
        (1, 2_211_500, True), (2, 300_000, False)
    ]  # fmt: skip
    assert found.payments[1].failure is Failure.ACCOUNT_CLOSED
    assert found.paid_fen == 2_211_500
    assert found.next_step is NextStep.FIX_ACCOUNT


def test_a_failed_payment_paid_in_the_supplementary_round_needs_nothing_more(
    factory: sessionmaker[Session],
) -> None:
    row = confirmed_victim()
    row["payments"].append(payment(2, "2026-10-20", "3000.00", supplementary=True))
    with factory() as session:
        add_victims(session, KEYS, [row])
        found = check_status(session, row["name"], row["id_number"], CASE_KEY, KEYS)
    assert found is not None
    assert found.unresolved_failures == ()
    assert found.next_step is NextStep.WAIT_FOR_NEXT_BATCH


def test_an_organisation_finds_its_record_by_its_credit_code(
    factory: sessionmaker[Session],
) -> None:
    row = organisation_victim()
    with factory() as session:
        add_victims(session, KEYS, [row])
        found = check_status(session, row["name"], row["id_number"], CASE_KEY, KEYS)
    assert found is not None
    assert found.kind == "organisation"


@pytest.mark.parametrize(
    ("name", "number", "case_key"),
    [
        ("王芬", None, CASE_KEY),  # another name
        ("王芳", resident_id("310104", "19700315", "247"), CASE_KEY),  # another valid number
        ("王芳", None, "demo-2026-02"),  # another case
        ("王芳", None, ""),
        ("", None, CASE_KEY),
        ("王芳", "", CASE_KEY),
        ("王芳", "wrong check character", CASE_KEY),
        ("王芳", None, "x" * 5000),
        ("王" * 5000, None, CASE_KEY),
    ],
)
def test_anything_but_the_exact_name_number_and_case_finds_nothing(
    factory: sessionmaker[Session], name: str, number: str | None, case_key: str
) -> None:
    row = confirmed_victim()
    with factory() as session:
        add_victims(session, KEYS, [row])
        own = row["id_number"]
        if number == "wrong check character":
            number = own[:17] + ("1" if own[17] != "1" else "2")
        number = own if number is None else number
        assert check_status(session, name, number, case_key, KEYS) is None


def test_the_same_number_under_another_key_finds_nothing(factory: sessionmaker[Session]) -> None:
    row = victim()
    with factory() as session:
        add_victims(session, KEYS, [row])
        other = IdentityKeys.from_secret("another-secret")
        assert check_status(session, row["name"], row["id_number"], CASE_KEY, other) is None
