"""The embedded SQLite database is set up for a web server: WAL, a busy timeout, foreign keys."""

from __future__ import annotations

from flask import g
from sqlalchemy import text

from portal.db.engine import SQLITE_BUSY_TIMEOUT_MS, reading_engine
from portal.web.db import db_session


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


def test_requests_read_without_a_transaction_round_trip_on_postgresql(
    engine_for, database_url: str
) -> None:
    engine = engine_for(database_url)
    if engine.dialect.name == "sqlite":
        assert reading_engine(engine) is engine  # its driver opens no transaction for reads
        return
    with reading_engine(engine).connect() as connection:
        assert connection.connection.dbapi_connection.autocommit
    with engine.connect() as connection:  # loads and imports keep their transactions
        assert not connection.connection.dbapi_connection.autocommit
