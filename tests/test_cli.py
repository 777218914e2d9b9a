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
