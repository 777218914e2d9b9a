"""The `portal` command: Flask's run, routes and shell, plus the portal's own commands."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from alembic import command as alembic_command
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext

from portal import create_app
from portal.content import ContentError
from portal.database import alembic_config, upgrade_schema
from portal.flask_db import session_factory
from portal.loading import load_content


@click.group(cls=FlaskGroup, create_app=create_app)
def cli() -> None:
    """Enforcement transparency portal."""


@cli.group()
def db() -> None:
    """Database schema migrations (Alembic)."""


def _engine():
    return session_factory().kw["bind"]


@db.command("upgrade")
@click.argument("revision", default="head")
@with_appcontext
def db_upgrade(revision: str) -> None:
    """Upgrade the database schema to REVISION (default: the newest)."""
    upgrade_schema(_engine(), revision)
    click.echo(f"database schema at {revision}")


@db.command("current")
@with_appcontext
def db_current() -> None:
    """Show the revision the database is at."""
    alembic_command.current(alembic_config(_engine()))


@db.command("revision")
@click.option("-m", "--message", required=True, help="What the migration changes.")
@with_appcontext
def db_revision(message: str) -> None:
    """Write a new migration from the difference between the models and the database."""
    alembic_command.revision(alembic_config(_engine()), message=message, autogenerate=True)


@cli.command("load")
@click.option(
    "--content",
    "content_dir",
    type=click.Path(path_type=Path),
    default=None,
    help="The content folder (default: PORTAL_CONTENT_DIR or ./content).",
)
@with_appcontext
def load(content_dir: Path | None) -> None:
    """Validate the content folder and sync the database with it, all or nothing."""
    content_dir = content_dir or Path(current_app.config["CONTENT_DIR"])
    try:
        report = load_content(session_factory(), content_dir, Path(current_app.config["CASES_DIR"]))
    except ContentError as error:
        click.echo(
            f"Nothing was loaded: {len(error.problems)} problem(s) in {content_dir}:", err=True
        )
        for problem in error.problems:
            click.echo(f"  {problem}", err=True)
        sys.exit(1)
    click.echo(report.summary() if report.changed else "content unchanged")
