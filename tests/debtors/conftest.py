"""Fixtures of the debtor tests: a migrated database on each engine and its sessions."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from portal.db.engine import make_session_factory, upgrade_schema


@pytest.fixture
def engine(engine_for, database_url: str) -> Engine:
    made = engine_for(database_url)
    upgrade_schema(made)
    return made


@pytest.fixture
def factory(engine: Engine) -> sessionmaker[Session]:
    return make_session_factory(engine)
