"""The `portal` command: loading content and migrating the schema, as an operator runs them."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, inspect, select
from sqlalchemy.orm import Session

from portal.cli import cli
from portal.db.models import PressRelease
from tests.support.site import SiteBuilder


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, site: SiteBuilder, database_url: str):
    """Run `portal ...` with the environment pointing at the test site and database."""
    monkeypatch.setenv("PORTAL_DATABASE_URL", database_url)
    monkeypatch.setenv("PORTAL_CONTENT_DIR", str(site.content))
    monkeypatch.setenv("PORTAL_CASES_DIR", str(site.cases))
    monkeypatch.setenv("PORTAL_INDEX_DIR", str(site.root / "search_index"))

    def invoke(*args: str):
        return CliRunner().invoke(cli, list(args), catch_exceptions=False)

    return invoke


def titles(database_url: str) -> list[str]:
    engine = create_engine(database_url)
    try:
        with Session(engine) as session:
            return sorted(session.scalars(select(PressRelease.title)))
    finally:
        engine.dispose()


def test_db_upgrade_creates_the_schema(run, database_url: str) -> None:
    result = run("db", "upgrade")
    assert result.exit_code == 0, result.output
    engine = create_engine(database_url)
    assert "press_releases" in inspect(engine).get_table_names()
    engine.dispose()


def test_load_reports_what_it_changed_then_nothing(run, site: SiteBuilder) -> None:
    site.standard()
    run("db", "upgrade")
    first = run("load")
    assert first.exit_code == 0
    assert "press releases: 3 added, 0 updated, 0 removed" in first.output
    assert run("load").output.splitlines() == ["content unchanged", "search index unchanged"]


def test_load_refuses_a_bad_file_with_its_path_field_and_expectation(
    run, site: SiteBuilder, database_url: str
) -> None:
    site.standard()
    run("db", "upgrade")
    run("load")
    site.release(2021, "annual-report", "en", date="2021-01-15", title="Retitled")
    site.write("press/2021/bad.en.md", "title: Bad\ndate: 2021-01-15")
    result = run("load")
    assert result.exit_code == 1
    assert "Nothing was loaded: 1 problem(s)" in result.output
    assert "press/2021/bad.en.md: field 'summary': is required" in result.output
    assert "Retitled" not in titles(database_url)


def test_load_names_the_folder_of_each_problem_and_goes_on_past_a_fill_in(
    run, site: SiteBuilder, database_url: str
) -> None:
    site.standard().standard_cases()
    run("db", "upgrade")
    site.case("2020-difficult", "03-wu", court="nowhere")
    (site.content / "pages" / "open.en.md").write_text("---\ntitle: T\nsummary: S\n", "utf-8")
    refused = run("load")
    assert refused.exit_code == 1
    assert "Nothing was loaded: 2 problem(s):" in refused.output
    assert "  cases/2020-difficult/03-wu.en.md: field 'court': 'nowhere'" in refused.output
    assert "  content/pages/open.en.md: front matter is not fenced" in refused.output
    site.case("2020-difficult", "03-wu", court="FILL-IN")
    (site.content / "pages" / "open.en.md").unlink()
    held = run("load")
    assert held.exit_code == 0, held.output
    assert "Held back as drafts, 1 warning(s):" in held.output
    assert "cases: 6 added" in held.output


def test_load_takes_another_content_folder(run, tmp_path: Path, database_url: str) -> None:
    other = SiteBuilder(tmp_path / "other")
    other.release(2022, "elsewhere", title="From another folder")
    run("db", "upgrade")
    assert run("load", "--content", str(other.content)).exit_code == 0
    assert titles(database_url) == ["From another folder"]


# -- Errors: one line, never a traceback ----------------------------------------------------


def one_error_line(result) -> str:
    """The command failed with status 1 and said why in one `error: ...` line on stderr."""
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if "WARNING in app" not in line]
    assert len(lines) == 1, lines
    assert lines[0].startswith("error: ")
    return lines[0]


def test_a_bad_setting_is_one_line_naming_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORTAL_TRUSTED_PROXIES", "abc")
    line = one_error_line(CliRunner().invoke(cli, ["routes"]))
    assert line == "error: PORTAL_TRUSTED_PROXIES must be a whole number, 0 or more, not 'abc'"


def test_a_database_without_the_schema_says_to_upgrade(run, database_url: str) -> None:
    result = CliRunner().invoke(cli, ["delist", "R1", "--reason", "paid"])
    line = one_error_line(result)
    assert line.startswith("error: the database has no portal schema yet (")
    assert line.endswith("): run `portal db upgrade`")


def test_an_unreachable_database_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORTAL_DATABASE_URL", "postgresql+psycopg://portal@127.0.0.1:1/portal")
    line = one_error_line(CliRunner().invoke(cli, ["delist", "R1", "--reason", "paid"]))
    assert line.startswith("error: the database cannot be used: ")
    assert "Connection refused" in line
    assert line.endswith("(check PORTAL_DATABASE_URL and that the database server is up)")


def test_a_locked_database_is_one_line(
    monkeypatch: pytest.MonkeyPatch, site: SiteBuilder, sqlite_url: str
) -> None:
    """Another writer holds SQLite's write lock past the busy timeout (5 s)."""
    import sqlite3

    site.standard()
    monkeypatch.setenv("PORTAL_DATABASE_URL", sqlite_url)
    monkeypatch.setenv("PORTAL_CONTENT_DIR", str(site.content))
    monkeypatch.setenv("PORTAL_CASES_DIR", str(site.cases))
    monkeypatch.setenv("PORTAL_INDEX_DIR", str(site.root / "search_index"))
    assert CliRunner().invoke(cli, ["db", "upgrade"]).exit_code == 0
    writer = sqlite3.connect(sqlite_url.removeprefix("sqlite:///"), isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        result = CliRunner().invoke(cli, ["load"])
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert one_error_line(result) == (
        "error: the database cannot be used: database is locked (another command is writing: "
        "try again when it has finished)"
    )
    assert titles(sqlite_url) == []


def test_an_unexpected_error_is_one_line_with_a_hint(monkeypatch, tmp_path: Path) -> None:
    def broken(*_args, **_kwargs):
        raise RuntimeError("310101198001011235 must never be printed")

    monkeypatch.setattr("portal.cli.write_demo_file", broken)
    arguments = ["demo-debtors", "--out", str(tmp_path / "demo.csv")]
    line = one_error_line(CliRunner().invoke(cli, arguments))
    assert line.startswith("error: unexpected RuntimeError: this is a bug")
    assert "portal --traceback" in line
    assert "310101198001011235" not in line
    shown = CliRunner().invoke(cli, ["--traceback", *arguments])
    assert isinstance(shown.exception, RuntimeError)  # raised, so Python prints the traceback


def test_a_missing_file_is_named_by_click(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["import-debtors", str(tmp_path / "missing.csv")])
    assert result.exit_code == 2
    assert "missing.csv' does not exist" in result.stderr
    assert "Traceback" not in result.output


def test_the_installed_command_refuses_production_in_lines_not_a_traceback(tmp_path) -> None:
    import os
    import subprocess
    import sys

    environment = {k: v for k, v in os.environ.items() if not k.startswith(("PORTAL_", "FLASK_"))}
    environment |= {"PORTAL_ENV": "production", "PORTAL_SITE_URL": "http://localhost:8000",
                    "PORTAL_SECRET_KEY": "a-long-random-production-secret-0123456789"}  # fmt: skip
    portal = Path(sys.executable).with_name("portal")
    result = subprocess.run([str(portal), "routes"], capture_output=True, text=True,
                            env=environment, cwd=tmp_path, timeout=60, check=False)  # fmt: skip
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    heading, *problems = result.stderr.splitlines()
    assert heading == "error: refusing to start in production:"
    assert [line.split()[0] for line in problems] == [
        "PORTAL_SITE_URL", "PORTAL_STATIC_LOOKUP_SALT", "PORTAL_RATELIMIT_STORAGE"]  # fmt: skip
