"""Engines, sessions and schema migrations, for the web app, the CLI and the benchmarks alike."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

# How long a SQLite writer waits for another to finish. Requests only read, and in WAL mode
# reads never wait; but a delisting must outwait an import's write (seconds at a million new
# records, docs/benchmarks.md) rather than fail.
SQLITE_BUSY_TIMEOUT_MS = 60_000
# Page cache for one bulk write (KiB): big enough to hold the indexes of a million-row table,
# whose random inserts otherwise go to the file (SQLite's default cache is 2 MiB).
SQLITE_BULK_CACHE_KIB = 256 * 1024


def _configure_sqlite_connection(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers go on while `portal load` or an import writes; the busy timeout makes
    # a second writer wait instead of failing at once; SQLite enforces foreign keys only when
    # asked.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    # Deleted and overwritten rows are zeroed, so that what a record no longer holds (an older
    # mask, say) does not linger in the file's free pages (docs/debtors.md, "Threat model").
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


@contextmanager
def bulk_write_cache(session: Session | Connection) -> Iterator[None]:
    """A large SQLite page cache on the session's connection (or this connection) for one bulk
    write, then the default again (the connection goes back to the pool); nothing on other
    databases."""
    connection = session.connection() if isinstance(session, Session) else session
    if connection.dialect.name != "sqlite":
        yield
        return
    previous = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size=-{SQLITE_BULK_CACHE_KIB}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size={int(previous)}")


def begin_writing(connection: Connection) -> None:
    """Begin the connection's transaction as a writer. On SQLite that takes the write lock
    first, waiting for another writer up to the busy timeout: a transaction that reads before
    it writes is refused the lock at once, without waiting, if another writer commits between
    its read and its write (a WAL snapshot cannot become a writer). PostgreSQL locks rows."""
    if connection.dialect.name != "sqlite":
        return
    if not connection.connection.dbapi_connection.in_transaction:  # type: ignore[union-attr]
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str) -> Engine:
    """An engine for `url`, SQLite tuned for a web server, PostgreSQL with a checked pool.

    Bound parameters are left out of error messages, because a lookup's are personal data and an
    error message ends up in the logs."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, hide_parameters=True)
        event.listen(engine, "connect", _configure_sqlite_connection)
        return engine
    return create_engine(url, pool_pre_ping=True, hide_parameters=True)


def reading_engine(engine: Engine) -> Engine:
    """The engine for web requests, which only read. On PostgreSQL it runs each statement on
    its own (autocommit): a request then costs no BEGIN and no ROLLBACK round trip, and sees
    what it would see anyway, as READ COMMITTED gives each statement a fresh snapshot. SQLite's
    driver opens no transaction for reads, so there it is the same engine."""
    if engine.dialect.name == "postgresql":
        return engine.execution_options(isolation_level="AUTOCOMMIT")
    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded objects usable after commit, for rendering."""
    return sessionmaker(engine, expire_on_commit=False)


def alembic_config(engine: Engine) -> AlembicConfig:
    """An Alembic configuration pointing at the portal's migrations and `engine`."""
    config = AlembicConfig()
    config.set_main_option("script_location", "portal.db:migrations")
    config.attributes["engine"] = engine
    return config


def upgrade_schema(engine: Engine, revision: str = "head") -> None:
    """Bring the schema up to `revision`; a production database is upgraded, never dropped."""
    command.upgrade(alembic_config(engine), revision)
