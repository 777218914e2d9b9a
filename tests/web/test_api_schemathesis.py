"""Schemathesis generates requests from the OpenAPI document, valid and invalid, sends them to the
app (WSGI, no server) and checks every answer against the document: zero failures.

The app is built when the module is collected, because schemathesis makes one test per operation
from the document the app serves (its fixture-based loader does not run on pytest 9)."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from portal.db.engine import upgrade_schema
from portal.db.load import load_content
from portal.search.service import rebuild_search_index
from portal.web import create_app
from portal.web.db import database_engine, session_factory
from tests.support.site import SiteBuilder

_ROOT = Path(tempfile.mkdtemp(prefix="portal-schemathesis-"))
_SITE = SiteBuilder(_ROOT / "site").standard().standard_cases().statistics()
APP = create_app(
    {
        "TESTING": True,
        "DATABASE_URL": f"sqlite:///{_ROOT / 'portal.sqlite3'}",
        "CONTENT_DIR": str(_SITE.content),
        "CASES_DIR": str(_SITE.cases),
        "SITE_URL": "https://portal.example.test",
        "INDEX_DIR": str(_ROOT / "search_index"),
    }
)
upgrade_schema(database_engine(APP))
load_content(session_factory(APP), _SITE.content, _SITE.cases)
rebuild_search_index(session_factory(APP), _ROOT / "search_index")

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", APP)


@pytest.fixture(scope="module", autouse=True)
def _remove_the_site() -> Iterator[None]:
    yield
    database_engine(APP).dispose()
    shutil.rmtree(_ROOT, ignore_errors=True)


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_keeps_its_openapi_contract(case) -> None:
    case.call_and_validate()
