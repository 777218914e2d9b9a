"""The `portal` command: Flask's run, routes and shell, plus the portal's own commands. Any
error ends it with one line on standard error (`error: ...`) and status 1, not a traceback."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from alembic import command as alembic_command
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError

from portal.config import ConfigurationError
from portal.content.cases import RESERVED_COLLECTION_KEYS
from portal.content.docx_import import (
    DocxImportError,
    collection_defaults,
    planned_files,
    read_collection_document,
    write_files,
)
from portal.content.files import SLUG_PATTERN, ContentError
from portal.db.engine import alembic_config, upgrade_schema
from portal.db.load import load_content
from portal.debtors.demo import write_demo_file
from portal.debtors.importer import UnknownRecord, delist, import_debtors
from portal.debtors.lookup import court_today
from portal.registers.identity import IdentityKeys
from portal.registers.importer import ImportInterrupted, ImportReport, RegisterImportError
from portal.search.index import IndexCheckFailed, IndexLocked
from portal.search.service import rebuild_search_index, update_search_index
from portal.static_site.freeze import FreezeError, freeze
from portal.text.languages import LANGUAGE_CODES
from portal.victims.demo import write_demo_file as write_victims_demo_file
from portal.victims.importer import import_victims
from portal.web import create_app
from portal.web.db import database_engine, session_factory
from portal.web.page_cache import clear_pages

TRACEBACK_KEY = "portal.traceback"
SCHEMA_MISSING = ("no such table", "does not exist", "undefinedtable")


def error_line(error: Exception) -> str:
    """What went wrong, in one line for an operator: never a traceback, and never an SQL
    statement's parameters (they may hold a name or a number from the debtor list)."""
    if isinstance(error, ConfigurationError):
        return str(error)  # a production refusal has one line a problem
    if isinstance(error, DBAPIError):
        cause = str(error.orig).strip().splitlines()[0] if error.orig else type(error).__name__
        if any(words in cause.lower() for words in SCHEMA_MISSING):
            return f"the database has no portal schema yet ({cause}): run `portal db upgrade`"
        if isinstance(error, OperationalError):
            hint = (
                "another command is writing: try again when it has finished"
                if "locked" in cause.lower()
                else "check PORTAL_DATABASE_URL and that the database server is up"
            )
            return f"the database cannot be used: {cause} ({hint})"
        return f"the database refused the change: {cause}"
    if isinstance(error, SQLAlchemyError):
        return f"the database cannot be used: {type(error).__name__}"
    if isinstance(error, UnicodeDecodeError):
        return f"a file is not UTF-8 text ({error.reason} at byte {error.start})"
    if isinstance(error, OSError):
        where = f": {error.filename}" if error.filename else ""
        return f"{error.strerror or type(error).__name__}{where}"
    return (
        f"unexpected {type(error).__name__}: this is a bug, or a state the portal did not "
        "foresee; run the command again as `portal --traceback ...` to see where it happened"
    )


class PortalGroup(FlaskGroup):
    """Flask's command group, ending every error in one line and status 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise  # click's own: usage errors and exits, already clear
        except Exception as error:
            if ctx.meta.get(TRACEBACK_KEY):
                raise
            click.echo(f"error: {error_line(error)}", err=True)
            ctx.exit(1)


def _remember_traceback(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    ctx.meta[TRACEBACK_KEY] = value


@click.group(
    cls=PortalGroup,
    create_app=create_app,
    params=[
        click.Option(
            ["--traceback"],
            is_flag=True,
            expose_value=False,
            is_eager=True,
            callback=_remember_traceback,
            help="Show the full traceback of an error instead of one line.",
        )
    ],
)
def cli() -> None:
    """Enforcement transparency portal."""


def changes_published_data(command: Callable[..., None]) -> Callable[..., None]:
    """Clear the page cache after `command`, whether it succeeds or not (a failed load may have
    committed the database before the search index failed). Put it under `with_appcontext`."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> None:
        try:
            command(*args, **kwargs)
        finally:
            if not clear_pages(current_app):
                click.echo("warning: the page cache in Redis could not be cleared: pages stay "
                           "as they were for up to a minute", err=True)  # fmt: skip

    return run


@cli.group()
def db() -> None:
    """Database schema migrations (Alembic)."""


def _engine():
    return database_engine()


@db.command("upgrade")
@click.argument("revision", default="head")
@with_appcontext
@changes_published_data
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
@changes_published_data
def load(content_dir: Path | None) -> None:
    """Validate the content folder and sync the database with it, all or nothing."""
    content_dir = content_dir or Path(current_app.config["CONTENT_DIR"])
    try:
        report = load_content(session_factory(), content_dir, Path(current_app.config["CASES_DIR"]))
    except ContentError as error:
        click.echo(f"Nothing was loaded: {len(error.problems)} problem(s):", err=True)
        for problem in error.problems:
            click.echo(f"  {problem}", err=True)
        sys.exit(1)
    if report.held_back:
        click.echo(f"Held back as drafts, {len(report.held_back)} warning(s):", err=True)
        for warning in report.held_back:
            click.echo(f"  {warning}", err=True)
    click.echo(report.summary() if report.changed else "content unchanged")
    try:
        click.echo(update_search_index(session_factory(), _index_root(), report))
    except IndexLocked as error:
        click.echo(f"The database is loaded, but the search index was not updated: {error}. "
                   "Run `portal index` once the other writer has finished.", err=True)  # fmt: skip
        sys.exit(1)


def _index_root() -> Path:
    return Path(current_app.config["INDEX_DIR"])


@cli.command("index")
@click.option("--processes", type=click.IntRange(1, 16), default=1, show_default=True,
              help="Worker processes for the build.")  # fmt: skip
@with_appcontext
@changes_published_data
def index(processes: int) -> None:
    """Rebuild the search index from the database, check it, and swap it in atomically."""
    try:
        size = rebuild_search_index(session_factory(), _index_root(), processes=processes)
    except (IndexLocked, IndexCheckFailed) as error:
        click.echo(f"The search index was not rebuilt: {error}", err=True)
        sys.exit(1)
    click.echo(f"search index rebuilt: {size} documents")


@cli.command("import-docx")
@click.argument("document", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--collection", "key", required=True, help="The collection's key (folder name).")
@click.option("--lang", required=True, type=click.Choice(LANGUAGE_CODES), help="The language.")
@click.option("--force", is_flag=True, help="Replace case files that exist already.")
@with_appcontext
def import_docx(document: Path, key: str, lang: str, force: bool) -> None:
    """Turn a court's collection DOCUMENT (.docx) into case files under cases/KEY/ to review."""
    if not SLUG_PATTERN.match(key) or key in RESERVED_COLLECTION_KEYS:
        raise click.BadParameter(
            "lowercase letters, digits and hyphens, and not a facet name", param_hint="--collection"
        )
    folder = Path(current_app.config["CASES_DIR"]) / key
    try:
        collection = read_collection_document(document, lang)
        files = planned_files(collection, lang, folder, document.name, collection_defaults(folder))
        written = write_files(files, force)
    except (DocxImportError, FileExistsError) as error:
        click.echo(f"Nothing was written: {error}", err=True)
        sys.exit(1)
    for path in written:
        click.echo(f"wrote {path}")
    click.echo(
        f"{len(collection.cases)} case(s) read. An editor must now review the files, replace "
        "every FILL-IN (parties, court, cause, ...) and run `portal load`."
    )


def _keys() -> IdentityKeys:
    return IdentityKeys.from_secret(current_app.config["SECRET_KEY"])


@cli.command("import-debtors")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--demo",
    is_flag=True,
    help="The file is fictional demonstration data (from demo-debtors); the lookup says so.",
)
@with_appcontext
@changes_published_data
def import_debtors_command(file: Path, demo: bool) -> None:
    """Import the list of dishonest persons from a CSV or JSON FILE, all or nothing."""
    _import_file(import_debtors, file, demo)


def _import_file(run: Callable[..., ImportReport], file: Path, demo: bool) -> None:
    """Run a register's import; on problems print one line each and exit 1, on a signal exit as
    a shell reports it; nothing personal is printed either way."""
    if demo and current_app.config["ENV"] == "production":
        raise click.UsageError("demonstration data is never imported into a production portal")
    try:
        report = run(session_factory(), file, _keys(), demo=demo)
    except RegisterImportError as error:
        click.echo(
            f"Nothing was imported: {len(error.problems)} problem(s) in {file.name}"
            f" ({error.bad_rows} bad row(s)):",
            err=True,
        )
        for problem in error.problems:
            click.echo(f"  {problem}", err=True)
        sys.exit(1)
    except ImportInterrupted as error:
        click.echo(f"Import stopped by {error.signal_name}: nothing was imported.", err=True)
        sys.exit(128 + error.signal_number)  # as a shell reports a process ended by the signal
    click.echo(report.summary())


@cli.command("delist")
@click.argument("record_id")
@click.option("--reason", required=True, help="Why the record is removed (kept with it).")
@with_appcontext
@changes_published_data
def delist_command(record_id: str, reason: str) -> None:
    """Remove the record RECORD_ID from the list at once."""
    try:
        removed = delist(session_factory(), record_id, reason, today=court_today())
    except UnknownRecord:
        click.echo(f"No record has the id {record_id!r}; nothing was changed.", err=True)
        sys.exit(1)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--reason") from None
    click.echo(
        f"{record_id} removed from the list" if removed else f"{record_id} was already removed"
    )


@cli.command("demo-debtors")
@click.option("--count", default=1000, show_default=True, type=click.IntRange(min=1))
@click.option("--seed", default=1, show_default=True, type=int)
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--show-example", is_flag=True, help="Print a listed name and number to try.")
def demo_debtors_command(count: int, seed: int, out: Path, show_example: bool) -> None:
    """Write COUNT fictional but valid debtor records as CSV (import them with --demo)."""
    example = write_demo_file(out, count, seed, court_today())
    click.echo(f"wrote {count} fictional records to {out}")
    if show_example and example:
        name, number = example
        click.echo(f"Try the lookup with the name {name} and the ID number {number}")


@cli.command("import-victims")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--demo",
    is_flag=True,
    help="The file is fictional demonstration data (from demo-victims); the status check says so.",
)
@with_appcontext
@changes_published_data
def import_victims_command(file: Path, demo: bool) -> None:
    """Import the victims' register of fund-raising cases from a CSV or JSON FILE, all or
    nothing (docs/victims.md)."""
    _import_file(import_victims, file, demo)


@cli.command("demo-victims")
@click.option("--count", default=1000, show_default=True, type=click.IntRange(min=1))
@click.option("--seed", default=1, show_default=True, type=int)
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--show-example", is_flag=True, help="Print a name, number and case key to check.")
def demo_victims_command(count: int, seed: int, out: Path, show_example: bool) -> None:
    """Write COUNT fictional victims of the demonstration case as CSV (import them with
    --demo)."""
    example = write_victims_demo_file(out, count, seed, court_today())
    click.echo(f"wrote {count} fictional victims to {out}")
    if show_example and example:
        name, number, case_key = example
        click.echo(
            f"Try the victims' status check with the name {name}, the ID number {number}"
            f" and the case key {case_key}"
        )


@cli.command("freeze")
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@click.option("--no-pagefind", is_flag=True, help="Skip the in-browser search index.")
@with_appcontext
def freeze_command(out: Path, no_pagefind: bool) -> None:
    """Freeze the whole portal into static files in OUT (stale files in OUT are removed)."""
    try:
        # The freeze builds its own static-site app from these settings.
        report = freeze(current_app.config, out, pagefind=not no_pagefind)
    except FreezeError as error:
        click.echo(f"The freeze failed: {error}", err=True)
        sys.exit(1)
    click.echo(report.summary())
