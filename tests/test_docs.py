"""The documentation in README.md and docs/ against the code: every setting and command is
documented, every link leads to a file of the repository, and nothing points outside it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import click
import pytest

from portal.cli import cli

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
DOC_FILES = [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]
CONFIGURATION = DOCS / "configuration.md"

VARIABLE = re.compile(r"\bPORTAL_[A-Z0-9_]*[A-Z0-9]\b")
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
COMMAND_IN_CODE = re.compile(r"`portal ([a-z][a-z0-9-]*(?: [a-z][a-z0-9-]*)?)")
REPO_PATH = re.compile(r"`((?:portal|tests|bench|fuzz|content|cases|\.ci)/[\w./-]*)`")
OUTSIDE = re.compile(r"\.\./shared|(?<![\w.])/work/|(?<![\w.])/home/|(?<![\w.])/tmp/mv\b")


def variables_in(folder: Path) -> set[str]:
    """Every PORTAL_* name written in the folder's source files."""
    names: set[str] = set()
    for path in folder.rglob("*"):
        if path.suffix in (".py", ".html", ".js", ".sh", ".toml") and path.is_file():
            names |= set(VARIABLE.findall(path.read_text("utf-8")))
    return names


def table_rows(text: str) -> Iterator[list[str]]:
    """The cells of every Markdown table row, `\\|` inside a cell kept."""
    for line in text.splitlines():
        if line.startswith("|") and not set(line) <= set("|- "):
            yield [cell.strip() for cell in re.split(r"(?<!\\)\|", line.strip())[1:-1]]


def documented_variables() -> dict[str, str]:
    """Each variable of configuration.md's tables, with the cell that says what it means."""
    return {
        row[0].strip("`"): row[1]
        for row in table_rows(CONFIGURATION.read_text("utf-8"))
        if VARIABLE.fullmatch(row[0].strip("`"))
    }


def portal_commands() -> list[str]:
    """Every command of the `portal` group, and `group sub` for each command of a subgroup."""
    ctx = cli.make_context("portal", [], resilient_parsing=True)
    names = []
    with ctx:
        for name in cli.list_commands(ctx):
            command = cli.get_command(ctx, name)
            names.append(name)
            if isinstance(command, click.Group):
                names += [f"{name} {sub}" for sub in command.list_commands(ctx)]
    return names


def all_docs_text() -> str:
    return "\n".join(path.read_text("utf-8") for path in DOC_FILES)


def heading_anchors(path: Path) -> set[str]:
    """GitHub's anchors for the headings of a Markdown file."""
    anchors = set()
    for line in path.read_text("utf-8").splitlines():
        if match := re.match(r"#{1,6} (.+)", line):
            text = re.sub(r"[^\w\- ]", "", match.group(1).lower())
            anchors.add(text.replace(" ", "-"))
    return anchors


@pytest.fixture
def isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Building the app to list its commands touches nothing in the checkout."""
    monkeypatch.setenv("PORTAL_DATABASE_URL", f"sqlite:///{tmp_path / 'portal.sqlite3'}")
    monkeypatch.setenv("PORTAL_INDEX_DIR", str(tmp_path / "index"))


def test_the_readme_is_short_and_names_every_document() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    assert len(readme.splitlines()) <= 80
    assert "make run" in readme
    assert "make test" in readme
    linked = {target.split("#")[0] for target in LINK.findall(readme)}
    assert sorted({f"docs/{path.name}" for path in DOCS.glob("*.md")} - linked) == []


def test_every_variable_the_portal_reads_is_documented_with_what_it_means() -> None:
    documented = documented_variables()
    undocumented = sorted(variables_in(ROOT / "portal") - set(documented))
    assert undocumented == []
    assert [name for name, meaning in documented.items() if len(meaning.split()) < 3] == []


def test_every_documented_variable_is_read_somewhere() -> None:
    read = (
        variables_in(ROOT / "portal") | variables_in(ROOT / "tests") | variables_in(ROOT / "bench")
    )
    assert sorted(set(documented_variables()) - read) == []


@pytest.mark.usefixtures("isolated_env")
def test_every_portal_command_is_documented() -> None:
    commands = portal_commands()
    assert {"load", "db upgrade", "freeze"} <= set(commands)
    text = all_docs_text()
    assert [name for name in commands if f"portal {name}" not in text] == []


@pytest.mark.usefixtures("isolated_env")
def test_every_documented_command_exists() -> None:
    commands = set(portal_commands())
    groups = {name.split()[0] for name in commands if " " in name}
    unknown = []
    for written in COMMAND_IN_CODE.findall(all_docs_text()):
        # A group's command is written with its subcommand; any other is one word.
        name = written if written.split()[0] in groups else written.split()[0]
        if name not in commands:
            unknown.append(written)
    assert unknown == []


@pytest.mark.parametrize("path", DOC_FILES, ids=lambda path: path.name)
def test_every_relative_link_leads_to_a_file_of_the_repository(path: Path) -> None:
    broken = []
    for target in LINK.findall(path.read_text("utf-8")):
        if re.match(r"[a-z]+:", target):
            continue  # a web address
        file_part, _, anchor = target.partition("#")
        linked = (path.parent / file_part).resolve() if file_part else path
        outside = not linked.is_relative_to(ROOT) or not linked.exists()
        if outside or (anchor and anchor not in heading_anchors(linked)):
            broken.append(target)
    assert broken == []


@pytest.mark.parametrize("path", DOC_FILES, ids=lambda path: path.name)
def test_every_file_the_docs_name_exists(path: Path) -> None:
    # Written as `portal/db/load.py`; patterns such as `cases/<collection>/` are not matched.
    named = REPO_PATH.findall(path.read_text("utf-8"))
    assert [name for name in named if not (ROOT / name).exists()] == []


@pytest.mark.parametrize("path", DOC_FILES, ids=lambda path: path.name)
def test_nothing_points_outside_the_repository(path: Path) -> None:
    assert OUTSIDE.findall(path.read_text("utf-8")) == []


def test_the_checks_catch_what_they_look_for(tmp_path: Path) -> None:
    assert VARIABLE.findall("os.environ['PORTAL_NEW_THING'] and PORTAL_") == ["PORTAL_NEW_THING"]
    assert OUTSIDE.findall("see ../shared/DESIGN.md or /work/main/x") == ["../shared", "/work/"]
    assert REPO_PATH.findall("`portal/db/load.py`, `cases/<key>/`, `tests/`") == [
        "portal/db/load.py",
        "tests/",
    ]
    rows = list(table_rows("| a | b \\| c |\n| --- | --- |\n| `PORTAL_X` | what it does |"))
    assert rows == [["a", "b \\| c"], ["`PORTAL_X`", "what it does"]]
    page = tmp_path / "page.md"
    page.write_text("# The import file\n## What is stored (privacy)\n", "utf-8")
    assert heading_anchors(page) == {"the-import-file", "what-is-stored-privacy"}
