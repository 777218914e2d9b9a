"""Removal at once, on SQLite and PostgreSQL: a delisting while an import of a large file runs
(while it validates, and while it holds its write) succeeds and still holds once the import has
committed; an import never puts back a removed record or one whose listing period has ended;
the validating processes are gone however the import ends."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from portal.db.models import DebtorImport, DebtorRecord
from portal.debtors.importer import delist, import_debtors
from portal.debtors.lookup import lookup
from portal.registers import importer as machinery
from portal.registers.identity import IdentityKeys
from portal.registers.importer import ImportStage, RegisterImportError
from portal.registers.query import parse_query
from tests.support.debtorfiles import TEST_SECRET, TODAY, large_demo_files, person, write_csv

KEYS = IdentityKeys.from_secret(TEST_SECRET)
NOW = dt.datetime(2025, 6, 1, 4, tzinfo=dt.UTC)  # noon on TODAY at the courts
# Rows of the large file: over the size that is validated in several processes, and a few
# seconds of import here.
LARGE = 40_000
# However slow the machine, a delisting that takes this long has hung.
PATIENCE_SECONDS = 120


def stored(factory: sessionmaker[Session], record_id: str) -> DebtorRecord:
    with factory() as session:
        return session.scalars(select(DebtorRecord).filter_by(record_id=record_id)).one()


def found(factory: sessionmaker[Session], row: dict[str, str]) -> list[str]:
    with factory() as session:
        result = lookup(session, KEYS, parse_query(row["name"], row["id_number"]), TODAY)
    return [record.record_id for record in result.records]


def count_of(factory: sessionmaker[Session], column) -> int:
    with factory() as session:
        return session.scalar(select(func.count(column))) or 0


def test_a_delisting_during_a_running_import_succeeds_and_holds_after_it_commits(
    factory, tmp_path: Path
) -> None:
    before, path, changed = large_demo_files(tmp_path, LARGE, changed=3)
    while_validating, while_writing, untouched = changed
    import_debtors(factory, before, KEYS, demo=True, now=NOW)
    staged, written, delisting = threading.Event(), threading.Event(), threading.Event()

    def on_stage(stage: ImportStage) -> None:
        if stage is ImportStage.STAGED:
            staged.set()
        if stage is not ImportStage.WRITTEN:
            return
        written.set()  # the difference is written, the transaction still open
        delisting.wait(PATIENCE_SECONDS)
        time.sleep(0.5)  # the delisting reaches the database and waits for this transaction

    def remove(row: dict[str, str], reason: str) -> bool:
        delisting.set()
        return delist(factory, row["record_id"], reason, today=TODAY)

    with ThreadPoolExecutor(2) as threads:
        running = threads.submit(
            import_debtors, factory, path, KEYS, demo=True, now=NOW, on_stage=on_stage
        )
        assert staged.wait(PATIENCE_SECONDS)
        # Its row has been compared with the register (as listed) and staged as changed.
        assert threads.submit(remove, while_validating, "paid").result(PATIENCE_SECONDS)
        assert found(factory, while_validating) == []  # at once, not after the import
        assert written.wait(PATIENCE_SECONDS)
        assert threads.submit(remove, while_writing, "annulled").result(PATIENCE_SECONDS)
        report = running.result(PATIENCE_SECONDS)

    assert (report.rows, report.updated) == (LARGE, 3)
    assert found(factory, while_validating) == found(factory, while_writing) == []
    assert stored(factory, while_validating["record_id"]).removal_reason == "paid"
    assert stored(factory, while_writing["record_id"]).removal_reason == "annulled"
    # The import did write its changes, to these records as to the untouched one.
    for row in (while_validating, while_writing, untouched):
        assert stored(factory, row["record_id"]).obligations == row["obligations"]
    assert found(factory, untouched) == [untouched["record_id"]]
    assert count_of(factory, DebtorRecord.id) == LARGE


def test_a_record_delisted_after_the_import_compared_it_is_not_listed_again(
    factory, tmp_path: Path
) -> None:
    rows = [person(f"R{n}", name=f"名{n}") for n in range(3)]
    import_debtors(factory, write_csv(tmp_path / "a.csv", rows), KEYS, now=NOW)
    for row in rows:
        row["obligations"] = "支付货款人民币1元"
    delisted: list[bool] = []

    def delist_once_compared(stage: ImportStage) -> None:
        if stage is ImportStage.STAGED and not delisted:
            delisted.append(delist(factory, "R1", "paid", today=TODAY))

    report = import_debtors(
        factory, write_csv(tmp_path / "b.csv", rows), KEYS, now=NOW, on_stage=delist_once_compared
    )
    assert delisted == [True]
    assert report.updated == 3
    assert stored(factory, "R1").removed_on == TODAY
    assert stored(factory, "R1").removal_reason == "paid"
    assert stored(factory, "R1").obligations == "支付货款人民币1元"
    assert found(factory, rows[1]) == []
    assert found(factory, rows[0]) == ["R0"]
    # A later import of a file that still lists it changes the other fields, never the removal.
    rows[1]["obligations"] = "支付货款人民币2元"
    import_debtors(factory, write_csv(tmp_path / "c.csv", rows), KEYS, now=NOW)
    assert (stored(factory, "R1").removed_on, stored(factory, "R1").obligations) == (
        TODAY,
        "支付货款人民币2元",
    )
    assert found(factory, rows[1]) == []


def test_an_import_never_extends_a_listing_period_that_has_ended(factory, tmp_path: Path) -> None:
    ended = person("ENDED", name="期满", listed_until="2025-05-31")
    running = person("RUNNING", name="未满", listed_until="2025-06-01")
    import_debtors(factory, write_csv(tmp_path / "a.csv", [ended, running]), KEYS, now=NOW)
    assert found(factory, ended) == []
    later = [dict(row, listed_until="2026-12-31") for row in (ended, running)]
    report = import_debtors(factory, write_csv(tmp_path / "b.csv", later), KEYS, now=NOW)
    assert report.updated == 2
    assert stored(factory, "ENDED").listed_until == dt.date(2025, 5, 31)
    assert found(factory, ended) == []
    # A period still running on the courts' day of the import may be extended.
    assert stored(factory, "RUNNING").listed_until == dt.date(2026, 12, 31)
    assert found(factory, running) == ["RUNNING"]


def no_validating_process_left() -> bool:
    return multiprocessing.active_children() == []


def test_the_validating_processes_are_gone_however_the_import_ends(
    factory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(machinery, "PIECE_BYTES", 700)  # a small file in many pieces
    rows = [person(f"R{n}") for n in range(40)]
    good = write_csv(tmp_path / "good.csv", rows)
    assert import_debtors(factory, good, KEYS, processes=2).added == 40
    assert no_validating_process_left()
    bad = write_csv(tmp_path / "bad.csv", [*rows, person("X", kind="x")])
    with pytest.raises(RegisterImportError):
        import_debtors(factory, bad, KEYS, processes=2)
    assert no_validating_process_left()

    def fails(*_args) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(machinery._Staging, "stage", fails)
    with pytest.raises(RuntimeError):
        import_debtors(factory, write_csv(tmp_path / "new.csv", rows), KEYS, processes=2)
    assert no_validating_process_left()
    assert count_of(factory, DebtorImport.id) == 2  # the import and the refusal, nothing more
