"""Freezing a test site as a user does: `portal freeze OUT` with the site's settings."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result
from flask import Flask

from portal.cli import cli


def freeze_through_the_cli(app: Flask, out: Path, *options: str, processes: int = 1) -> Result:
    """`portal freeze OUT [OPTIONS]` in a shell whose environment holds `app`'s settings."""
    config = app.config
    environment = {
        "PORTAL_DATABASE_URL": config["DATABASE_URL"],
        "PORTAL_CONTENT_DIR": config["CONTENT_DIR"],
        "PORTAL_CASES_DIR": config["CASES_DIR"],
        "PORTAL_INDEX_DIR": config["INDEX_DIR"],
        "PORTAL_SITE_URL": config["SITE_URL"],
        "PORTAL_SECRET_KEY": config["SECRET_KEY"],
        "PORTAL_FREEZE_PROCESSES": str(processes),
    }
    return CliRunner().invoke(cli, ["freeze", str(out), *options], env=environment)
