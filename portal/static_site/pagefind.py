"""Pagefind: the in-browser search index of the static copy, one per language."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


class PagefindFailed(RuntimeError):
    """Pagefind could not index the output."""


def run_pagefind(out: Path) -> None:
    """Index the HTML files in `out` (Chinese segmented) into `out`/pagefind/."""
    command = [sys.executable, "-m", "pagefind", "--site", str(out), "--quiet"]
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        output = result.stderr or result.stdout
        raise PagefindFailed(f"Pagefind failed ({result.returncode}): {output}")
