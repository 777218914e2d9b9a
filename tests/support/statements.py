"""Counting the SQL statements an app runs to answer requests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from sqlalchemy import event

from portal.web.db import database_engine


@contextmanager
def statements(app: Flask) -> Iterator[list[str]]:
    """The SQL statements that `app`'s requests send to the database inside the block."""
    engine = database_engine(app)
    seen: list[str] = []

    def note(_conn, _cursor, statement, _parameters, _context, _many) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", note)
