"""Freezing a test site as a user does: `portal freeze OUT` with the site's settings."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

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


def output_files(out: Path) -> dict[str, bytes]:
    """Every file of a frozen copy but the debtor shards (encrypted anew by every freeze), by
    its path in the copy, with its bytes."""
    return {
        path.relative_to(out).as_posix(): path.read_bytes()
        for path in out.rglob("*")
        if path.is_file() and "static-lookup" not in path.relative_to(out).parts
    }


def catalogue_byte_sizes(out: Path) -> dict[str, Any]:
    """Each download's `dcat:byteSize` in a frozen copy's DCAT catalogue, by its file name."""
    catalogue = json.loads((out / "data" / "catalog.jsonld").read_text(encoding="utf-8"))
    return {
        distribution["dcat:downloadURL"]["@id"].rsplit("/", 1)[1]: distribution.get("dcat:byteSize")
        for dataset in catalogue["dcat:dataset"]
        for distribution in dataset["dcat:distribution"]
    }
