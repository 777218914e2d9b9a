"""The embedded SQLite database is set up for a web server: WAL, a busy timeout, foreign keys."""

from __future__ import annotations

from flask import g
from sqlalchemy import text

from portal.database import SQLITE_BUSY_TIMEOUT_MS
from portal.flask_db import db_session


def test_sqlite_connections_use_wal_a_busy_timeout_and_foreign_keys(engine_for, sqlite_url) -> None:
    engine = engine_for(sqlite_url)
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == SQLITE_BUSY_TIMEOUT_MS
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_a_request_closes_its_session(app) -> None:
    with app.test_request_context("/en/"):
        session = db_session()
        assert db_session() is session  # one session for the whole request
        app.do_teardown_appcontext()
        assert "db_session" not in g
