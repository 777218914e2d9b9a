"""The debtor commands as an operator runs them: import-debtors, delist, demo-debtors."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from portal.cli import cli
from portal.db.models import DebtorImport, DebtorRecord
from portal.debtors.lookup import court_today, lookup
from portal.registers.identity import IdentityKeys
from portal.registers.query import parse_query
from tests.support.debtorfiles import TEST_SECRET, large_demo_files, person, write_csv
from tests.support.site import REPO_ROOT

# Rows of the file an import is stopped in: over the size validated in several processes.
LARGE = 40_000
# However slow the machine, a process still there after this long is left behind.
PATIENCE_SECONDS = 180


def stored(database_url: str) -> dict[str, DebtorRecord]:
    engine = create_engine(database_url)
    try:
        with Session(engine) as session:
            return {r.record_id: r for r in session.scalars(select(DebtorRecord))}
    finally:
        engine.dispose()


def test_import_reports_its_counts_then_nothing_changed(run, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "list.csv", [person("R1"), person("R2", name="李四")])
    first = run("import-debtors", str(path))
    assert first.exit_code == 0
    assert "2 rows: 2 added, 0 updated, 0 removed, 0 unchanged" in first.output
    assert (
        "2 rows: 0 added, 0 updated, 0 removed, 2 unchanged"
        in run("import-debtors", str(path)).output
    )


def test_a_bad_file_exits_1_listing_every_problem(run, tmp_path: Path, database_url: str) -> None:
    path = write_csv(tmp_path / "list.csv", [person("R1"), person("R2", kind="x"), person("R1")])
    result = run("import-debtors", str(path))
    assert result.exit_code == 1
    assert "Nothing was imported: 2 problem(s) in list.csv (2 bad row(s)):" in result.output
    assert "row 3, field 'kind': must be one of person, organisation, not 'x'" in result.output
    assert "row 4, field 'record_id': repeats the record id of row 2" in result.output
    assert stored(database_url) == {}


def test_delist_removes_a_record_or_says_why_not(run, tmp_path: Path, database_url: str) -> None:
    run("import-debtors", str(write_csv(tmp_path / "list.csv", [person("R1")])))
    result = run("delist", "R1", "--reason", "paid in full")
    assert (result.exit_code, result.output.strip()) == (0, "R1 removed from the list")
    assert stored(database_url)["R1"].removal_reason == "paid in full"
    assert run("delist", "R1", "--reason", "again").output.strip() == "R1 was already removed"
    unknown = run("delist", "NOPE", "--reason", "x")
    assert unknown.exit_code == 1
    assert "No record has the id 'NOPE'" in unknown.output
    assert run("delist", "R1").exit_code == 2  # --reason is required


def test_demo_data_imports_with_demo_and_its_example_is_found(
    run, tmp_path: Path, database_url: str
) -> None:
    out = tmp_path / "demo.csv"
    result = run("demo-debtors", "--count", "200", "--seed", "7", "--out", str(out),
                 "--show-example")  # fmt: skip
    assert result.exit_code == 0
    match = re.search(r"the name (\S+) and the ID number (\d{17}[\dX])", result.output)
    assert match, result.output
    name, number = match.groups()
    assert name.startswith("示例")
    refused = run("import-debtors", str(out))  # demonstration ids need --demo
    assert refused.exit_code == 1
    assert "200 rows: 200 added" in run("import-debtors", "--demo", str(out)).output
    records = stored(database_url)
    assert all(r.demo and r.name.startswith("示例") for r in records.values())
    assert {r.kind for r in records.values()} == {"person", "organisation"}
    assert any(r.removed_on for r in records.values())
    assert any(r.listed_until and r.listed_until < court_today() for r in records.values())
    engine = create_engine(database_url)
    try:
        with Session(engine) as session:
            found = lookup(session, IdentityKeys.from_secret(TEST_SECRET),
                           parse_query(name, number), court_today())  # fmt: skip
    finally:
        engine.dispose()
    assert [r.name for r in found.records] == [name]


def test_the_same_seed_writes_the_same_file(run, tmp_path: Path) -> None:
    for name in ("a.csv", "b.csv"):
        run("demo-debtors", "--count", "50", "--seed", "3", "--out", str(tmp_path / name))
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()


@pytest.mark.parametrize("register", ["debtors", "victims"])
def test_demo_data_is_never_imported_in_production(
    run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, register: str
) -> None:
    out = tmp_path / "demo.csv"
    run(f"demo-{register}", "--count", "5", "--out", str(out))
    # Production settings the start-up guard accepts, so that the command itself refuses.
    for variable, value in {
        "PORTAL_ENV": "production",
        "PORTAL_SITE_URL": "https://enforcement.court.example",
        "PORTAL_STATIC_LOOKUP_SALT": "the court's own salt",
        "PORTAL_RATELIMIT_STORAGE": "redis://127.0.0.1:6379/0",
    }.items():
        monkeypatch.setenv(variable, value)  # fmt: skip
    result = CliRunner().invoke(cli, [f"import-{register}", "--demo", str(out)])
    assert result.exit_code == 2
    assert "never imported into a production portal" in result.output


# -- Stopping an import ---------------------------------------------------------------------


def portal_process(*args: str) -> subprocess.Popen:
    """`portal ARGS` in its own process, with the environment `run` set up."""
    command = [sys.executable, "-c", "from portal.cli import cli; cli()", *args]
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    return subprocess.Popen(
        command,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        # As a person's terminal runs it: a test run started in the background (a CI script, a
        # shell's `&`) hands its children SIGINT ignored, which the import rightly respects.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def process_state(pid: int) -> str | None:
    """The state letter of a process (Z: a zombie, finished), None if there is none."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()[0]


def children_of(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text() if entry.name.isdigit() else ""
        except OSError:
            continue
        if stat and int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.add(int(entry.name))
    return found


def wait_for(condition, seconds: float = PATIENCE_SECONDS) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def running(pids: set[int]) -> set[int]:
    return {pid for pid in pids if process_state(pid) not in (None, "Z")}


def validating(run, tmp_path: Path):
    """An import of a large file under way, its validating processes started, after a first
    import of one of the file's records (which the large file changes). Returns the import's
    process, its validating processes, that record's id and a snapshot of the database."""
    before, large, (changed,) = large_demo_files(tmp_path, LARGE, changed=1)
    assert run("import-debtors", "--demo", str(before)).exit_code == 0
    process = portal_process("import-debtors", "--demo", str(large))
    workers = os.cpu_count() or 1
    assert wait_for(lambda: len(children_of(process.pid)) >= workers), "no validating processes"
    return process, children_of(process.pid), changed["record_id"]


def snapshot(database_url: str) -> tuple:
    engine = create_engine(database_url)
    try:
        with Session(engine) as session:
            records = session.scalars(select(DebtorRecord)).all()
            imports = session.scalars(select(DebtorImport.id)).all()
            return [(r.record_id, r.obligations, r.updated_at) for r in records], imports
    finally:
        engine.dispose()


needs_two_cores = pytest.mark.skipif(
    (os.cpu_count() or 1) < 2, reason="a large file is validated in this process on one core"
)


@needs_two_cores
@pytest.mark.parametrize("signal_number", [signal.SIGINT, signal.SIGTERM])
def test_an_interrupted_import_says_so_in_one_line_and_changes_nothing(
    run, tmp_path: Path, database_url: str, signal_number: int
) -> None:
    process, workers, record_id = validating(run, tmp_path)
    state = snapshot(database_url)
    process.send_signal(signal_number)
    _, stderr = process.communicate(timeout=PATIENCE_SECONDS)
    name = signal.Signals(signal_number).name
    assert process.returncode == 128 + signal_number
    assert stderr.decode().splitlines() == [f"Import stopped by {name}: nothing was imported."]
    assert snapshot(database_url) == state
    assert [record_id] == [r for r, *_ in state[0]]
    assert running(workers) == set()  # joined by the import: not even zombies are left
    assert all(process_state(pid) is None for pid in workers)


@needs_two_cores
def test_a_killed_import_leaves_no_validating_process_and_changes_nothing(
    run, tmp_path: Path, database_url: str
) -> None:
    process, workers, _ = validating(run, tmp_path)
    state = snapshot(database_url)
    process.kill()
    process.wait(PATIENCE_SECONDS)
    assert workers
    assert wait_for(lambda: running(workers) == set()), "validating processes left running"
    assert snapshot(database_url) == state
