"""Whole numbers as a URL or a query string writes them: one rule for every page number, year
and other integer the portal reads from a request."""

from __future__ import annotations

# The largest whole number read from a request: it fits a 32-bit SQL INTEGER, and a page number
# this large times any page size still fits the 64-bit OFFSET of SQLite and PostgreSQL.
MAX_WHOLE_NUMBER = 2**31 - 1


def whole_number(text: str, low: int = 0, high: int = MAX_WHOLE_NUMBER) -> int | None:
    """`text` as a number from `low` to `high` if it is written in ASCII digits alone, else
    None: no sign, space or underscore, and no other script's digits (², ①, ٣, ３)."""
    if not (text.isascii() and text.isdigit()):
        return None
    significant = text.lstrip("0")
    if len(significant) > len(str(high)):  # never turn 5,000 digits into an int
        return None
    value = int(text)
    return value if low <= value <= high else None
