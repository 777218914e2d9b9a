"""The lines of COPY's text format that the validating processes write for PostgreSQL."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Column, Date, MetaData, String, Table

from portal.registers.importer import _CopyRows

TABLE = Table(
    "staged", MetaData(), Column("record_id", String), Column("on", Date), Column("tags", JSON)
)


def test_json_values_that_cannot_be_hashed_are_written_as_those_that_can() -> None:
    """A JSON list (unhashable) gives the same line as the same values in a tuple, and a value
    holding a tab is escaped."""
    encode = _CopyRows.for_table(TABLE, kept=[0])
    assert encode is not None
    day = dt.date(2026, 12, 6)
    as_lists = encode.rows([("a", day, ["x", "y"]), None, ("b\tc", None, [])])
    as_tuples = encode.rows([("a", day, ("x", "y")), None, ("b\tc", None, ())])
    expected = [("a", b'a\t2026-12-06\t["x", "y"]'), None, ("b\tc", b"b\\tc\t\\N\t[]")]
    assert as_lists == expected
    assert as_tuples == expected
