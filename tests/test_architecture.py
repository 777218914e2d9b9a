"""The import rules of docs/architecture.md, checked on the source: each package of portal/
imports only the packages below it, Flask only where the web is, and tests only tests.support."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PORTAL = ROOT / "portal"
TESTS = ROOT / "tests"

# What each part of portal/ may import of the portal; the same table as docs/architecture.md.
DOMAIN = {"text", "content", "db", "search", "registers", "debtors", "victims", "opendata"}
ALLOWED = {
    "portal": set(),  # portal/__init__.py
    "text": set(),
    "content": {"text"},
    "db": {"text", "content"},
    "search": {"text", "content", "db"},
    "registers": {"text", "db"},
    "debtors": {"text", "db", "registers"},
    "victims": {"text", "content", "db", "registers"},
    "opendata": {"text", "db", "content", "registers", "debtors", "victims"},
    "config": {"text", "debtors"},
    "web": DOMAIN | {"config"},
    "static_site": DOMAIN | {"config", "web"},
    "cli": DOMAIN | {"config", "web", "static_site"},
}
FLASK_PARTS = {"web", "static_site", "cli"}


def imported_modules(source: str, module: str, is_package: bool = False) -> Iterator[str]:
    """Every module `source` imports, anywhere in it (functions included), relative ones
    resolved against `module`, its dotted name."""
    package = module.split(".") if is_package else module.split(".")[:-1]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                yield ".".join([*base, *([node.module] if node.module else [])])
            else:
                yield node.module or ""


def part_of(module: str) -> str:
    """The part of the portal a dotted module name belongs to: a package, cli, config, portal."""
    names = module.split(".")
    return names[1] if len(names) > 1 else "portal"


def is_flask(module: str) -> bool:
    top = module.split(".")[0]
    return top in ("flask", "werkzeug") or top.startswith("flask_")


def modules_under(folder: Path) -> Iterator[tuple[str, Path, bool]]:
    for path in sorted(folder.rglob("*.py")):
        relative = path.relative_to(ROOT).with_suffix("")
        is_package = relative.name == "__init__"
        names = relative.parts[:-1] if is_package else relative.parts
        yield ".".join(names), path, is_package


def portal_imports() -> Iterator[tuple[str, str]]:
    """(importing module, imported module) for every import in portal/."""
    for module, path, is_package in modules_under(PORTAL):
        for imported in imported_modules(path.read_text("utf-8"), module, is_package):
            yield module, imported


def test_every_part_of_the_portal_has_its_rule() -> None:
    parts = {part_of(module) for module, _, _ in modules_under(PORTAL)}
    assert parts == set(ALLOWED), "add the new package to docs/architecture.md and ALLOWED"


def test_each_package_imports_only_what_the_table_allows() -> None:
    broken = [
        f"{module} imports {imported}"
        for module, imported in portal_imports()
        if imported.split(".")[0] == "portal"
        and part_of(imported) != part_of(module)
        and part_of(imported) not in ALLOWED[part_of(module)]
    ]
    assert broken == []


def test_flask_is_imported_only_by_the_web_the_static_copy_and_the_cli() -> None:
    broken = [
        f"{module} imports {imported}"
        for module, imported in portal_imports()
        if is_flask(imported) and part_of(module) not in FLASK_PARTS
    ]
    assert broken == []


def test_only_the_cli_imports_the_static_copy() -> None:
    importers = {
        module
        for module, imported in portal_imports()
        if part_of(imported) == "static_site" and part_of(module) != "static_site"
    }
    assert importers == {"portal.cli"}


def test_test_modules_import_no_other_test_module() -> None:
    broken = []
    for module, path, is_package in modules_under(TESTS):
        for imported in imported_modules(path.read_text("utf-8"), module, is_package):
            names = imported.split(".")
            is_test = names[-1].startswith("test_") or names[-1] == "conftest"
            if (names[0] == "tests" and names[:2] != ["tests", "support"]) or is_test:
                broken.append(f"{module} imports {imported}")
    assert broken == []


# -- The checker itself ----------------------------------------------------------------------


SOURCE = """
import flask
from . import records
from ..db.models import DebtorRecord
from portal.text import chinese

def later():
    from flask_babel import gettext
"""


def test_the_checker_finds_relative_and_function_level_imports() -> None:
    found = sorted(imported_modules(SOURCE, "portal.debtors.lookup"))
    assert found == ["flask", "flask_babel", "portal.db.models", "portal.debtors", "portal.text"]
    assert [m for m in found if is_flask(m)] == ["flask", "flask_babel"]
    assert {part_of(m) for m in found if m.startswith("portal")} == {"debtors", "db", "text"}


def test_a_package_resolves_its_relative_imports_from_itself() -> None:
    assert list(imported_modules("from .models import X", "portal.db", is_package=True)) == [
        "portal.db.models"
    ]


@pytest.mark.parametrize(
    ("module", "part"),
    [("portal", "portal"), ("portal.cli", "cli"), ("portal.web.blueprints.api", "web")],
)
def test_modules_belong_to_their_part(module: str, part: str) -> None:
    assert part_of(module) == part
