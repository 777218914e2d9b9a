"""Every UI string has a Chinese translation, and the compiled catalogue matches its source."""

from __future__ import annotations

import io
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo, write_mo

from tests.support.translations import CATALOGUE, chinese_catalogue

PORTAL = Path(__file__).resolve().parents[2] / "portal"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None,
            "N_": None}  # fmt: skip


def source_messages() -> set[str]:
    found = set()
    method_map = [("**/templates/**.html", "jinja2"), ("**.py", "python")]
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(PORTAL), method_map, keywords=KEYWORDS
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def as_tuple(value) -> tuple:
    return tuple(value) if isinstance(value, list | tuple) else (value,)


def entries(catalogue) -> dict[tuple, tuple]:
    return {as_tuple(m.id): as_tuple(m.string) for m in catalogue if m.id}


def test_every_ui_string_in_the_code_has_a_chinese_translation() -> None:
    catalogue = chinese_catalogue()
    untranslated = sorted(
        message
        for message in source_messages()
        if message not in catalogue
        or not all(as_tuple(catalogue[message].string))
        or catalogue[message].fuzzy
    )
    assert untranslated == [], "run `make messages` and translate: " + "; ".join(untranslated)


def test_placeholders_survive_translation() -> None:
    for message in chinese_catalogue():
        if not message.id:
            continue
        ids = as_tuple(message.id)
        for translated in as_tuple(message.string):
            for placeholder in ("%(count)s", "%(num)s", "%(language)s", "%(page)s", "%(pages)s",
                                "%(year)s", "%(code)s"):  # fmt: skip
                assert (placeholder in ids[0]) == (placeholder in translated), message.id


def test_the_compiled_catalogue_is_up_to_date() -> None:
    compiled = io.BytesIO()
    write_mo(compiled, chinese_catalogue())
    with (CATALOGUE / "messages.mo").open("rb") as shipped_file:
        shipped = read_mo(shipped_file)
    fresh = read_mo(io.BytesIO(compiled.getvalue()))
    assert entries(shipped) == entries(fresh), "messages.mo is stale: run `make messages`"
