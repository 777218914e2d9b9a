"""Fixtures that build small portal sites in temporary folders, on SQLite and on PostgreSQL."""

from __future__ import annotations

import contextlib
import functools
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import settings
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from portal.cli import cli
from portal.db.engine import make_engine, make_session_factory, upgrade_schema
from portal.db.load import load_content
from portal.search.service import rebuild_search_index
from portal.web import create_app
from portal.web.db import database_engine, session_factory
from tests.support.debtorfiles import TEST_SECRET
from tests.support.pagecheck import FetchedPage, fetch
from tests.support.site import (
    ARTIFACTS,
    IN_CI,
    POSTGRES_URL,
    REDIS_URL,
    SiteBuilder,
    cannot_run,
    require_module,
    require_tool,
    serve_folder,
)

# In CI every property-based test (Hypothesis, schemathesis) replays the same examples, so a
# run's verdict never depends on luck; locally each run explores new ones.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
if IN_CI:
    settings.load_profile("ci")


@pytest.fixture
def site(tmp_path: Path) -> SiteBuilder:
    """An empty site folder to write content into."""
    return SiteBuilder(tmp_path / "site")


@pytest.fixture(scope="session")
def postgres_server() -> str:
    """The PostgreSQL server's URL; under CI=true an unreachable server fails the run."""
    engine = create_engine(POSTGRES_URL)
    try:
        with engine.connect():
            pass
    except OperationalError as error:
        cannot_run(f"PostgreSQL is not reachable at {POSTGRES_URL}: {error.orig}")
    finally:
        engine.dispose()
    return POSTGRES_URL


@pytest.fixture(scope="session")
def redis_server() -> str:
    """The Redis server's URL; under CI=true an unreachable server fails the run."""
    connection = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError as error:
        cannot_run(f"Redis is not reachable at {REDIS_URL}: {error}")
    finally:
        connection.close()
    return REDIS_URL


@contextlib.contextmanager
def fresh_schema(base: str) -> Iterator[str]:
    """A URL to a new, empty schema on the PostgreSQL server at `base`, dropped on leaving."""
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{base}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def postgres_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """A URL to a fresh, empty schema on the PostgreSQL server, dropped after the test."""
    with fresh_schema(request.getfixturevalue("postgres_server")) as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database: SQLite in a temporary folder, then a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'portal.sqlite3'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """An empty SQLite database, for tests of the web layer that need no second database."""
    return f"sqlite:///{tmp_path / 'portal.sqlite3'}"


@pytest.fixture
def make_app(site: SiteBuilder) -> Iterator[Callable[..., Flask]]:
    """Build an app on `site` and `database_url`, schema migrated and content loaded."""
    apps: list[Flask] = []

    def build(database_url: str, load: bool = True, **overrides: Any) -> Flask:
        app = create_app(
            {
                "TESTING": True,
                "DATABASE_URL": database_url,
                "CONTENT_DIR": str(site.content),
                "CASES_DIR": str(site.cases),
                "INDEX_DIR": str(site.root / "search_index"),
                "SITE_URL": "https://portal.example.test",
                **overrides,
            }
        )
        factory = session_factory(app)
        upgrade_schema(database_engine(app))
        if load:
            load_content(factory, site.content, site.cases)
        apps.append(app)
        return app

    yield build
    for app in apps:
        database_engine(app).dispose()


@pytest.fixture
def indexed_app(make_app: Callable[..., Flask], site: SiteBuilder) -> Callable[[str], Flask]:
    """Build the standard site with its cases and the search texts (`SiteBuilder.search_texts`)
    on a database, loaded and indexed: what the search tests, of the page, the CSV and the
    engine, search in."""

    def build(database_url: str) -> Flask:
        site.standard().standard_cases().search_texts()
        app = make_app(database_url)
        rebuild_search_index(session_factory(app), Path(app.config["INDEX_DIR"]))
        return app

    return build


@pytest.fixture
def app(make_app: Callable[..., Flask], site: SiteBuilder, sqlite_url: str) -> Flask:
    """The standard small site on SQLite."""
    site.standard()
    return make_app(sqlite_url)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def fetch_page(client: FlaskClient) -> Callable[..., FetchedPage]:
    """GET a page of the standard site and check it as pagecheck.fetch does."""
    return functools.partial(fetch, client)


@pytest.fixture
def engine_for():
    """Engines made by a test, disposed after it."""
    engines = []

    def make(url: str):
        engine = make_engine(url)
        engines.append(engine)
        return engine

    yield make
    for engine in engines:
        engine.dispose()


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, database_url: str):
    """Run `portal ...` against the test database, schema migrated (the registers' CLIs)."""
    monkeypatch.setenv("PORTAL_DATABASE_URL", database_url)
    monkeypatch.setenv("PORTAL_SECRET_KEY", TEST_SECRET)

    def invoke(*args: str):
        return CliRunner().invoke(cli, list(args), catch_exceptions=False)

    assert invoke("db", "upgrade").exit_code == 0
    return invoke


@pytest.fixture
def engine(engine_for, database_url: str) -> Engine:
    """A migrated database on each engine (the registers' tests)."""
    made = engine_for(database_url)
    upgrade_schema(made)
    return made


@pytest.fixture
def factory(engine: Engine) -> sessionmaker[Session]:
    return make_session_factory(engine)


# --- The proof site: one small site with every page kind, shared by the page checks, the
# browser and accessibility tests, the Nu checker, the security scoring and the fuzzers. ---


@pytest.fixture(scope="session")
def proof_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The proof site (tests/pagekinds.py) on SQLite, built once per session."""
    from tests.support.pagekinds import build_proof_site

    app = build_proof_site(tmp_path_factory.mktemp("proof"))
    yield app
    database_engine(app).dispose()


@pytest.fixture(
    scope="session", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def proof_app_each_database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Flask]:
    """The proof site on SQLite, then on a PostgreSQL schema of its own, built once per session;
    an unexpected exception is answered as a client would see it (a 500), not raised."""
    from tests.support.pagekinds import build_proof_site

    root = tmp_path_factory.mktemp(f"proof-{request.param}")
    with contextlib.ExitStack() as stack:
        settings: dict[str, Any] = {"PROPAGATE_EXCEPTIONS": False}
        if request.param == "postgresql":
            server = request.getfixturevalue("postgres_server")
            settings["DATABASE_URL"] = stack.enter_context(fresh_schema(server))
        app = build_proof_site(root, **settings)
        yield app
        database_engine(app).dispose()


@pytest.fixture
def proof_client(proof_app: Flask) -> FlaskClient:
    """A test client of the proof site."""
    return proof_app.test_client()


@pytest.fixture(scope="session")
def live_server(proof_app: Flask) -> Iterator[str]:
    """The proof site served by a real HTTP server on 127.0.0.1 (a free port), in a thread;
    yields its base URL. A frozen-site server (issue 6) plugs in beside it (tests/browser.py)."""
    import threading

    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, proof_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()


@pytest.fixture(scope="session")
def frozen_server(proof_app: Flask, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The proof site frozen (portal freeze) and served by a static file server."""
    from portal.static_site.freeze import freeze

    out = tmp_path_factory.mktemp("frozen") / "site"
    freeze(proof_app, out, pagefind=False)
    base_url, server = serve_folder(out)
    try:
        yield base_url
    finally:
        server.shutdown()


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium for the whole session, driven by Playwright."""
    import shutil

    sync_api = require_module("playwright.sync_api")
    from tests.support.browser import CHROMIUM_ARGS, CHROMIUM_PATH

    executable = require_tool(shutil.which(CHROMIUM_PATH), f"Chromium ({CHROMIUM_PATH})")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """Keep each phase's report on the test, so fixtures can tell whether it failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def page(browser, request: pytest.FixtureRequest):
    """A fresh browser tab (its own context); a screenshot of it is saved in test-artifacts/
    when the test fails. Console messages about the Content-Security-Policy are collected in
    `page.csp_errors`."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.set_default_timeout(10_000)
    tab = context.new_page()
    tab.csp_errors = []
    tab.on(
        "console",
        lambda message: (
            tab.csp_errors.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    yield tab
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = "".join(c if c.isalnum() or c in "-_." else "_" for c in request.node.nodeid)
        try:
            tab.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        except Exception as error:  # the page may be gone; the test's own error matters more
            print(f"no screenshot of {request.node.nodeid}: {error}")
    context.close()
