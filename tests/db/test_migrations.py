"""The Alembic migrations build exactly the schema the models describe, on both databases."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from portal.db.engine import alembic_config, upgrade_schema
from portal.db.models import Base


def test_migrations_match_the_models(engine_for, database_url: str) -> None:
    engine = engine_for(database_url)
    upgrade_schema(engine)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_the_schema_downgrades_to_nothing_and_upgrades_again(engine_for, database_url: str) -> None:
    engine = engine_for(database_url)
    upgrade_schema(engine)
    upgrade_schema(engine)  # upgrading an up-to-date database is a no-op
    command.downgrade(alembic_config(engine), "base")
    assert set(inspect(engine).get_table_names()) == {"alembic_version"}
    upgrade_schema(engine)
    assert {"press_releases", "attachments", "pages"} <= set(inspect(engine).get_table_names())
