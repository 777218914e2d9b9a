"""Pagefind: the in-browser search index of the static copy, one per language."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from portal.text.chinese import character_table

INDEX_DIR = "pagefind"
# Beside the index: the table with which the browser folds a query to simplified Chinese.
FOLD_FILE = "fold.json"


class PagefindFailed(RuntimeError):
    """Pagefind could not index the output."""


def run_pagefind(out: Path) -> None:
    """Index the HTML files in `out` (Chinese segmented) into `out`/pagefind/."""
    command = [sys.executable, "-m", "pagefind", "--site", str(out), "--quiet"]
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        output = result.stderr or result.stdout
        raise PagefindFailed(f"Pagefind failed ({result.returncode}): {output}")
    check_index(out / INDEX_DIR)
    write_fold_table(out / INDEX_DIR / FOLD_FILE)


def write_fold_table(path: Path) -> None:
    """Write OpenCC's traditional-to-simplified character table (the one `to_simplified` applies
    live, with its phrases) as JSON for the browser, which folds each character of a query."""
    table = character_table("TSCharacters")
    path.write_text(json.dumps(table, ensure_ascii=False, separators=(",", ":")), "utf-8")


def check_index(index: Path) -> None:
    """Pagefind exits 0 even when its writes fail (a full disk leaves empty files): every file
    of its index must be there and hold something."""
    entry = index / "pagefind-entry.json"
    if not entry.is_file():
        raise PagefindFailed(f"{entry} was not written")
    for path in sorted(index.rglob("*")):
        if path.is_file() and path.stat().st_size == 0:
            raise PagefindFailed(f"{path} could not be written: Pagefind left it empty")
