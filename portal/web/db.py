"""The database in the web app: one engine per app, one session per request."""

from __future__ import annotations

from flask import Flask, current_app, g
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from portal.db.engine import make_engine, make_session_factory, reading_engine
from portal.db.queries import PREVIEW_KEY

ENGINE_KEY = "portal_db_engine"
EXTENSION_KEY = "portal_db"
REQUESTS_KEY = "portal_db_requests"


def init_database(app: Flask) -> None:
    """Create the app's engine and session factories from DATABASE_URL: one for the CLI and
    tests, one for requests, which only read."""
    engine = make_engine(app.config["DATABASE_URL"])
    app.extensions[ENGINE_KEY] = engine
    app.extensions[EXTENSION_KEY] = make_session_factory(engine)
    app.extensions[REQUESTS_KEY] = make_session_factory(reading_engine(engine))

    @app.teardown_appcontext
    def close_session(_error: BaseException | None) -> None:
        session = g.pop("db_session", None)
        if session is not None:
            session.close()


def database_engine(app: Flask | None = None) -> Engine:
    """The engine of `app` (default: the current app): what migrations run on and what is
    disposed of; the requests' autocommit engine shares its connection pool."""
    return (app or current_app).extensions[ENGINE_KEY]


def session_factory(app: Flask | None = None) -> sessionmaker[Session]:
    """The session factory of `app` (default: the current app), for the CLI and tests."""
    return (app or current_app).extensions[EXTENSION_KEY]


def request_session_factory(app: Flask | None = None) -> sessionmaker[Session]:
    """The session factory that requests' sessions come from (see `db_session`)."""
    return (app or current_app).extensions[REQUESTS_KEY]


def db_session() -> Session:
    """The session of the current request, opened on first use and closed at teardown; in a
    preview (PORTAL_PREVIEW) its queries see drafts and scheduled items."""
    if "db_session" not in g:
        g.db_session = request_session_factory()(info={PREVIEW_KEY: current_app.config["PREVIEW"]})
    return g.db_session
