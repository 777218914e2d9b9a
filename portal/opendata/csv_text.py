"""The one CSV writer of every CSV the portal serves: the dataset downloads, the API's CSV
listings and a search's results.

Spreadsheets read it as UTF-8 (it starts with a byte-order mark), lists are joined with
semicolons, an empty cell is a null, and a text cell that a spreadsheet would run as a formula
gets a leading apostrophe (OWASP's CSV injection advice), whoever wrote its text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

# Excel and WPS read a CSV file as UTF-8 (and so show Chinese correctly) only after this mark.
UTF8_BOM = "\ufeff"
# A text cell starting with one of these is read by a spreadsheet as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def guard_formula(text: str) -> str:
    """`text` as a spreadsheet shows it without running it: a leading apostrophe if needed."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def csv_cell(value: Any) -> str:
    """One value as a cell. Numbers are left as they are: a negative number is no formula, and
    the data package types them as numbers."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list | tuple):
        return guard_formula(";".join(str(item) for item in value))
    return guard_formula(str(value))


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A header row and `rows` as CSV text, with the byte-order mark and CRLF line ends."""
    buffer = io.StringIO()
    buffer.write(UTF8_BOM)
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([csv_cell(value) for value in row] for row in rows)
    return buffer.getvalue()
