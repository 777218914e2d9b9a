"""The victims' import: every kind of bad row with its message, all or nothing, idempotence,
updates, the summary against a recount, and no full identity number anywhere it writes."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import String, Text, select
from sqlalchemy.orm import Session, sessionmaker

from portal.db.models import Base, VictimImport, VictimRecord
from portal.registers.identity import IdentityKeys
from portal.registers.importer import RegisterImportError
from portal.victims.importer import import_victims
from portal.victims.records import STORED_COLUMNS
from portal.victims.status import NextStep, check_status
from tests.support.debtorfiles import TEST_SECRET, resident_id
from tests.support.victimfiles import (
    CASE_KEY,
    add_notice,
    confirmed_victim,
    organisation_victim,
    payment,
    recount,
    summary,
    victim,
    write_csv,
    write_json,
)

KEYS = IdentityKeys.from_secret(TEST_SECRET)


@pytest.fixture
def notices(factory: sessionmaker[Session]) -> sessionmaker[Session]:
    """A database with the demonstration case's notice loaded."""
    with factory() as session:
        add_notice(session)
    return factory


def refused(factory: sessionmaker[Session], path: Path) -> list[str]:
    with pytest.raises(RegisterImportError) as caught:
        import_victims(factory, path, KEYS)
    return [str(problem) for problem in caught.value.problems]


def test_a_csv_file_is_imported_and_each_victim_can_check_their_status(
    notices: sessionmaker[Session], tmp_path: Path
) -> None:
    rows = [confirmed_victim("V1"), organisation_victim("O1"),
            victim("V2", id_number=resident_id(sequence="555"), status="under_check")]  # fmt: skip
    report = import_victims(notices, write_csv(tmp_path / "v.csv", rows), KEYS)
    assert (report.rows, report.added) == (3, 3)
    with notices() as session:
        found = check_status(session, "王芳", rows[0]["id_number"], CASE_KEY, KEYS)
        assert found is not None
        assert found.next_step is NextStep.FIX_ACCOUNT
        assert [payment.amount_fen for payment in found.payments] == [2_211_500, 300_000]
        assert summary(session) == recount(session)


def test_json_payments_are_objects_and_amounts_text(
    notices: sessionmaker[Session], tmp_path: Path
) -> None:
    rows = [confirmed_victim()]
    import_victims(notices, write_json(tmp_path / "v.json", rows), KEYS)
    with notices() as session:
        record = session.scalars(select(VictimRecord)).one()
    assert record.payments[1] == {
        "batch": 2, "amount": 300_000, "paid_on": "2026-09-30", "supplementary": False,
        "failure": "account_closed",
    }  # fmt: skip


BAD_ROWS: list[tuple[dict[str, Any], str]] = [
    ({"case_key": "demo-2099-99"}, "field 'case_key': is not the key of a loaded victims' notice"),
    ({"case_key": ""}, "field 'case_key': is required"),
    ({"name": "  "}, "field 'name': is required"),
    ({"kind": "company"}, "field 'kind': must be one of person, organisation"),
    ({"id_number": "310104197003152461"}, "field 'id_number': is not a valid resident ID number"),
    ({"registered_on": "2026-02-30"}, "field 'registered_on': must be a date written YYYY-MM-DD"),
    ({"registered_on": "2999-01-01"}, "field 'registered_on': is in the future"),
    ({"claimed_amount": "-5"}, "field 'claimed_amount': must be an amount in yuan, 0 or more"),
    ({"claimed_amount": "10.123"}, "field 'claimed_amount': must be an amount in yuan"),
    ({"claimed_amount": ""}, "field 'claimed_amount': is required"),
    ({"status": "paid"}, "field 'status': must be one of registered, under_check, confirmed"),
    ({"status": "confirmed"}, "field 'confirmed_amount': is required when the status is confirmed"),
    ({"confirmed_amount": "10.00"}, "field 'confirmed_amount': must be empty unless the status"),
    ({"payments": [payment()]}, "field 'payments': are possible only when the status is confirmed"),
    ({"record_id": "DEMO-1"}, "field 'record_id': only demonstration data, imported with --demo"),
    ({"record_id": "V 1"}, "field 'record_id': may hold only letters, digits"),
]
BAD_PAYMENTS: list[tuple[dict[str, Any], str]] = [
    ({"batch": 0}, "field 'payments[2].batch': must be a whole number, 1 or more"),
    ({"paid_on": "2999-01-01"}, "field 'payments[2].paid_on': is in the future"),
    ({"paid_on": "soon"}, "field 'payments[2].paid_on': must be a date written YYYY-MM-DD"),
    ({"amount": "1,000"}, "field 'payments[2].amount': must be an amount in yuan"),
    ({"failure": "lost"}, "field 'payments[2].failure': must be one of account_closed"),
    (
        {"amount": "200000.00", "failure": None},
        "field 'payments': add up to more than the confirmed",
    ),
]


@pytest.mark.parametrize("file_format", ["csv", "json"])
@pytest.mark.parametrize(("fields", "message"), BAD_ROWS + [
    ({"payments": [payment(), {**payment(2, "2026-09-30", "10.00"), **change}]}, message)
    for change, message in BAD_PAYMENTS
])  # fmt: skip
def test_each_bad_row_is_reported_with_its_row_field_and_reason_and_nothing_is_imported(
    notices: sessionmaker[Session],
    tmp_path: Path,
    file_format: str,
    fields: dict[str, Any],
    message: str,
) -> None:
    base = confirmed_victim if "payments[" in message or "add up" in message else victim
    bad = base(**{"record_id": "V2", "id_number": resident_id(sequence="321"), **fields})
    rows = [victim("V1"), bad]
    write = write_csv if file_format == "csv" else write_json
    problems = refused(notices, write(tmp_path / f"v.{file_format}", rows))
    row = 3 if file_format == "csv" else 2
    assert any(problem.startswith(f"row {row}, {message}") for problem in problems), problems
    text = "\n".join(problems)
    assert bad["id_number"] not in text
    assert bad["name"] not in text
    with notices() as session:
        assert session.scalars(select(VictimRecord)).all() == []
        audit = session.scalars(select(VictimImport)).one()
        assert (audit.action, audit.bad_rows, audit.added) == ("refused", 1, 0)


def test_every_bad_row_is_reported_and_repeated_record_ids_refused(
    notices: sessionmaker[Session], tmp_path: Path
) -> None:
    rows = [victim("V1"), victim("V1", id_number=resident_id(sequence="888")),
            victim("V3", kind="alien"), victim("V4", status="")]  # fmt: skip
    problems = refused(notices, write_csv(tmp_path / "v.csv", rows))
    assert problems == [
        "row 3, field 'record_id': repeats the record id of row 2",
        "row 4, field 'kind': must be one of person, organisation, not 'alien'",
        "row 5, field 'status': is required",
    ]


def test_a_person_is_registered_once_a_case(notices: sessionmaker[Session], tmp_path: Path) -> None:
    with notices() as session:
        add_notice(session, "demo-2026-02")
    twice = [victim("V1"), victim("V2", case_key="demo-2026-02"), victim("V3", name="王 芳")]
    problems = refused(notices, write_csv(tmp_path / "v.csv", twice))
    assert problems == [
        "row 4, field 'id_number': repeats the number registered in this case in row 2"
    ]
    assert import_victims(notices, write_csv(tmp_path / "ok.csv", twice[:2]), KEYS).added == 2


SAME_PERSON_AS_V1 = (
    "field 'id_number': registers the same person in case demo-2026-01 as record 'V1'"
    " already in the register"
)


def test_a_person_already_registered_in_the_case_under_another_record_is_refused(
    notices: sessionmaker[Session], tmp_path: Path
) -> None:
    with notices() as session:
        add_notice(session, "demo-2026-02")
    first = [victim("V1")]
    import_victims(notices, write_csv(tmp_path / "v1.csv", first), KEYS)
    later = [victim("V7", kind="alien", id_number=resident_id(sequence="777")), victim("V2")]
    problems = refused(notices, write_csv(tmp_path / "v2.csv", later))
    # Reported after another row's problem too, in row order, and never with the number.
    assert problems == [
        "row 2, field 'kind': must be one of person, organisation, not 'alien'",
        f"row 3, {SAME_PERSON_AS_V1}",
    ]
    assert first[0]["id_number"] not in " ".join(problems)
    with notices() as session:
        assert session.scalars(select(VictimRecord.record_id)).all() == ["V1"]
    # The same person in another case, and V1's own row changed, are no clash.
    ok = [victim("V2", case_key="demo-2026-02"), victim("V1", status="under_check")]
    report = import_victims(notices, write_csv(tmp_path / "ok.csv", ok), KEYS)
    assert (report.added, report.updated) == (1, 1)


def test_a_file_may_move_a_person_to_another_record_it_also_changes(
    notices: sessionmaker[Session], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("portal.registers.importer.BATCH_SIZE", 2)  # V1 comes in a later batch
    wang, li = victim("V1"), victim("V2", name="李强", id_number=resident_id(sequence="222"))
    import_victims(notices, write_csv(tmp_path / "v.csv", [wang, li]), KEYS)
    # Compared with the register as the file leaves it: V1 is someone else by then.
    zhao = victim("V1", name="赵敏", id_number=resident_id(sequence="333"))
    sun = victim("V3", name="孙丽", id_number=resident_id(sequence="444"))
    moved = [sun, wang | {"record_id": "V2"}, li | {"record_id": "V4"}, zhao]
    report = import_victims(notices, write_csv(tmp_path / "moved.csv", moved), KEYS)
    assert (report.added, report.updated) == (2, 2)
    with notices() as session:
        found = check_status(session, "王芳", wang["id_number"], CASE_KEY, KEYS)
        assert found is not None
        # Moving them back without changing V2 leaves them twice: refused.
        assert session.scalars(select(VictimRecord.record_id).order_by("record_id")).all() == [
            "V1", "V2", "V3", "V4"
        ]  # fmt: skip
    back = [sun, wang]
    assert refused(notices, write_csv(tmp_path / "back.csv", back)) == [
        "row 3, field 'id_number': registers the same person in case demo-2026-01 as record"
        " 'V2' already in the register"
    ]


def test_the_same_file_twice_changes_nothing_and_a_changed_file_updates(
    notices: sessionmaker[Session], tmp_path: Path
) -> None:
    people = [victim(f"V{i}", id_number=resident_id(sequence=f"{i:03d}")) for i in range(1, 13)]
    path = write_csv(tmp_path / "v.csv", people)
    import_victims(notices, path, KEYS)
    again = import_victims(notices, path, KEYS)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 12)
    # The court confirms some, pays them (one payment failing), rejects one, adds one.
    for row in people[:10]:
        row.update(status="confirmed", confirmed_amount="100000.00",
                   payments=[payment(1, "2026-06-15", "15000.00")])  # fmt: skip
    people[0]["payments"].append(payment(2, "2026-11-20", "100.00", failure="name_mismatch"))
    people[11]["status"] = "rejected"
    people.append(victim("V13", id_number=resident_id(sequence="013"), status="under_check"))
    report = import_victims(notices, write_csv(tmp_path / "v2.csv", people), KEYS)
    assert (report.added, report.updated, report.unchanged) == (1, 11, 1)
    with notices() as session:
        assert summary(session) == recount(session)
        statuses, _ = summary(session)
        assert {(status, people) for _, status, people, *_ in statuses} == {
            ("confirmed", 10), ("registered", 1), ("rejected", 1), ("under_check", 1)
        }  # fmt: skip
        found = check_status(session, "王芳", people[0]["id_number"], CASE_KEY, KEYS)
        assert found is not None
        assert found.next_step is NextStep.FIX_ACCOUNT


def test_rows_staged_before_a_bad_row_change_neither_the_register_nor_its_summary(
    notices: sessionmaker[Session], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Batches of two: the good rows are staged, and counted for the summary, before the bad one.
    monkeypatch.setattr("portal.registers.importer.BATCH_SIZE", 2)
    people = [victim(f"V{i}", id_number=resident_id(sequence=f"{i:03d}")) for i in range(1, 7)]
    import_victims(notices, write_csv(tmp_path / "v.csv", people), KEYS)
    with notices() as session:
        before = summary(session)
    for row in people[:4]:
        row.update(status="confirmed", confirmed_amount="100000.00",
                   payments=[payment(1, "2026-06-15", "15000.00")])  # fmt: skip
    people.append(victim("V7", id_number=resident_id(sequence="007")))
    people.append(victim("V8", id_number=resident_id(sequence="008"), claimed_amount="-1"))
    problems = refused(notices, write_csv(tmp_path / "v2.csv", people))
    assert [problem.split(",")[0] for problem in problems] == ["row 9"]
    with notices() as session:
        assert summary(session) == before == recount(session)
        assert {record.status for record in session.scalars(select(VictimRecord))} == {"registered"}
    # The same changes without the bad row: counted once, as written.
    report = import_victims(notices, write_csv(tmp_path / "v3.csv", people[:-1]), KEYS)
    assert (report.added, report.updated) == (1, 4)
    with notices() as session:
        assert summary(session) == recount(session)
        statuses, payments = summary(session)
        assert {(status, people) for _, status, people, *_ in statuses} == {
            ("confirmed", 4), ("registered", 3)
        }  # fmt: skip
        assert {row[4:] for row in payments} == {(4, 4 * 1_500_000, 0)}


def test_records_imported_by_earlier_versions_compare_unchanged_with_the_same_file(
    notices: sessionmaker[Session], tmp_path: Path
) -> None:
    # The row hash is still what every version stored: the SHA-256 of the stored values as one
    # JSON array (sorted keys), so no upgrade makes a whole register look changed.
    rows = [confirmed_victim("V1"), organisation_victim("O1")]
    import_victims(notices, write_csv(tmp_path / "v.csv", rows), KEYS)
    encoder = json.JSONEncoder(ensure_ascii=False, default=str, sort_keys=True)
    with notices() as session:
        records = session.scalars(select(VictimRecord).order_by(VictimRecord.record_id)).all()
    assert [len(record.payments) for record in records] == [0, 2]
    for record in records:
        values = [getattr(record, name) for name in STORED_COLUMNS[:-1]]
        earlier = hashlib.sha256(encoder.encode(values).encode()).hexdigest()
        assert record.row_hash == earlier


def test_no_full_identity_number_is_stored_anywhere(
    notices: sessionmaker[Session], tmp_path: Path
) -> None:
    rows = [confirmed_victim("V1"), victim("V2", id_number=resident_id(sequence="777"))]
    import_victims(notices, write_csv(tmp_path / "v.csv", rows), KEYS)
    refused(notices, write_csv(tmp_path / "bad.csv", [*rows, victim("V3", kind="x")]))
    numbers = [row["id_number"] for row in rows]
    with notices() as session:
        for table in Base.metadata.sorted_tables:
            columns = [c for c in table.columns if isinstance(c.type, String | Text)]
            columns += [c for c in table.columns if c.name in ("payments", "materials")]
            for row in session.execute(select(*columns)) if columns else ():
                held = json.dumps([str(value) for value in row], ensure_ascii=False)
                assert not any(number in held or number[6:14] in held for number in numbers), (
                    table.name
                )
