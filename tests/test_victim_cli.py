"""The victims' commands as an operator runs them: import-victims and demo-victims."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from portal.db.models import VictimImport, VictimRecord
from portal.registers.identity import IdentityKeys
from portal.victims.records import Status
from portal.victims.status import NextStep, check_status
from tests.support.debtorfiles import TEST_SECRET
from tests.support.victimfiles import add_notice, confirmed_victim, victim, write_csv


def database(database_url: str) -> Session:
    return Session(create_engine(database_url))


def test_import_reports_its_counts_then_nothing_changed(
    run, tmp_path: Path, database_url: str
) -> None:
    with database(database_url) as session:
        add_notice(session)
    path = write_csv(tmp_path / "victims.csv", [confirmed_victim("V1")])
    first = run("import-victims", str(path))
    assert (first.exit_code, first.output.strip().splitlines()[-1]) == (
        0, "1 rows: 1 added, 0 updated, 0 removed, 0 unchanged"
    )  # fmt: skip
    assert "1 unchanged" in run("import-victims", str(path)).output


def test_a_bad_file_exits_1_with_one_line_a_problem_and_nothing_personal(
    run, tmp_path: Path, database_url: str
) -> None:
    with database(database_url) as session:
        add_notice(session)
    rows = [victim("V1", case_key="unknown-case"), victim("V2", claimed_amount="12.345")]
    result = run("import-victims", str(write_csv(tmp_path / "victims.csv", rows)))
    assert result.exit_code == 1
    assert "Nothing was imported: 2 problem(s) in victims.csv (2 bad row(s)):" in result.output
    assert "  row 2, field 'case_key': is not the key of a loaded victims' notice" in result.output
    assert "  row 3, field 'claimed_amount': must be an amount in yuan" in result.output
    assert "Traceback" not in result.output
    assert rows[0]["id_number"] not in result.output
    assert rows[0]["name"] not in result.output
    with database(database_url) as session:
        assert session.scalars(select(VictimRecord)).all() == []
        assert session.scalars(select(VictimImport.action)).all() == ["refused"]


def test_demo_victims_give_an_example_to_check_after_a_demo_import(
    run, tmp_path: Path, database_url: str
) -> None:
    with database(database_url) as session:
        add_notice(session)
    out = tmp_path / "demo.csv"
    written = run("demo-victims", "--count", "300", "--seed", "3", "--out", str(out),
                  "--show-example")  # fmt: skip
    match = re.search(r"the name (\S+), the ID number (\S+) and the case key (\S+)", written.output)
    assert match is not None
    name, number, case_key = match.groups()
    assert name.startswith("示例")
    assert run("import-victims", str(out)).exit_code == 1  # demo ids need --demo
    assert run("import-victims", "--demo", str(out)).exit_code == 0
    with database(database_url) as session:
        found = check_status(session, name, number, case_key, IdentityKeys.from_secret(TEST_SECRET))
        statuses = set(session.scalars(select(VictimRecord.status).distinct()))
    assert found is not None
    assert found.demo
    assert found.next_step is NextStep.FIX_ACCOUNT
    assert statuses == {status.value for status in Status}
