"""The Chinese catalogue of the interface's messages, as the tests read it."""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

CATALOGUE = Path(__file__).resolve().parents[2] / "portal/translations/zh/LC_MESSAGES"


def chinese_catalogue() -> Catalog:
    """The source catalogue, messages.po."""
    with (CATALOGUE / "messages.po").open("rb") as source:
        return read_po(source, locale="zh")
