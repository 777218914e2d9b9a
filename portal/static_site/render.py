"""Rendering the static copy's pages with Frozen-Flask, in one process or several.

Each render process builds its own static-site app and runs a `flask_frozen.Freezer` over its
share of the URLs, taking them in small batches from one list the parent decided, so processes
that drew quick pages take more. Frozen-Flask writes a file only when its bytes changed. Each
process checks the links of the pages it has just rendered and hands the broken ones back.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import warnings
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask
from flask_frozen import Freezer, MissingURLGeneratorWarning
from sqlalchemy.engine import make_url

from portal.static_site.app import dispose, static_site_app
from portal.static_site.links import LinkChecker
from portal.static_site.urls import base_path, output_path

# A batch: enough URLs that taking it costs little, few enough that the processes end together.
MAX_BATCH = 25


class RenderError(RuntimeError):
    """A page answered an error or failed, or its file could not be written."""


def render_processes(settings: Mapping[str, Any]) -> int:
    """How many processes render: FREEZE_PROCESSES, or one per core (0)."""
    return int(settings.get("FREEZE_PROCESSES") or 0) or os.cpu_count() or 1


def check_database(settings: Mapping[str, Any]) -> None:
    """Refuse an in-memory SQLite database: the static-site app opens its own connections."""
    url = make_url(str(settings["DATABASE_URL"]))
    if url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"):
        raise RenderError("the static copy cannot be rendered from an in-memory database")


def freezer_for(app: Any, urls: Callable[[], Iterator[str]]) -> Freezer:
    """A Frozen-Flask freezer of `app` over exactly `urls` (no URLs of its own finding)."""
    freezer = Freezer(app, with_static_files=False, with_no_argument_rules=False, log_url_for=False)
    freezer.register_generator(urls)
    return freezer


def run_freezer(freezer: Freezer, after_each: Callable[[], None] = lambda: None) -> None:
    """Run `freezer`, calling `after_each` after each page it froze."""
    with warnings.catch_warnings():
        # The API and the live search's feeds stay on the live server: no URL of theirs.
        warnings.simplefilter("ignore", MissingURLGeneratorWarning)
        for _page in freezer.freeze_yield():
            after_each()


def render_with(
    app: Flask, out: Path, urls: Callable[[], Iterator[str]], links: LinkChecker | None = None
) -> list[str]:
    """Run a Freezer of `app` over `urls`; returns the broken links of the pages it froze, as
    `links` (if given) finds them. A page that fails or a file that cannot be written is a
    RenderError naming it."""
    current = [""]
    broken: list[str] = []

    def tracked() -> Iterator[str]:
        for url in urls():
            current[0] = url  # Frozen-Flask renders each URL as soon as it is yielded
            yield url

    def check() -> None:
        # Frozen-Flask has just written the file (or found these bytes in it): still cached.
        if links is not None:
            broken.extend(links.broken_links(output_path(current[0])))

    freezer = freezer_for(app, tracked)
    try:
        run_freezer(freezer, check)
        return broken
    except OSError as error:
        # A stale file's removal names its file; a page's write may not (a full disk).
        target = error.filename or Path(out) / freezer.urlpath_to_filepath(current[0])
        raise RenderError(f"{target} could not be written: {error.strerror or error}") from error
    except Exception as error:
        raise RenderError(f"{base_path(app)}{current[0]} could not be frozen: {error}") from error


def render_share(
    settings: Mapping[str, Any], out: Path, take: Callable[[], list[str]], links: LinkChecker
) -> list[str]:
    """Render the URLs `take` hands out (a batch at a time, until it hands out none) with a
    Freezer of a new static-site app; returns the broken links of those pages."""
    app = static_site_app(settings, out)

    def share() -> Iterator[str]:
        while batch := take():
            yield from batch

    try:
        return render_with(app, out, share, links)
    finally:
        dispose(app)


@dataclass
class _Shared:
    """What forked render processes inherit: the settings, the URLs, the link check and where
    the next batch starts (shared memory)."""

    settings: Mapping[str, Any]
    out: Path
    urls: list[str]
    links: LinkChecker
    batch: int
    next_index: Any  # a multiprocessing Value


_shared: _Shared | None = None


def _take_batch() -> list[str]:
    assert _shared is not None
    with _shared.next_index.get_lock():
        start = _shared.next_index.value
        _shared.next_index.value = start + _shared.batch
    return _shared.urls[start : start + _shared.batch]


def _render_forked_share() -> list[str]:
    assert _shared is not None
    try:
        return render_share(_shared.settings, _shared.out, _take_batch, _shared.links)
    except BaseException:
        with _shared.next_index.get_lock():  # the others stop at their next batch
            _shared.next_index.value = len(_shared.urls)
        raise


def render_all(
    settings: Mapping[str, Any], out: Path, urls: list[str], processes: int, links: LinkChecker
) -> tuple[int, list[str]]:
    """Render `urls` into `out` in up to `processes` processes (fewer for a small site); returns
    how many processes rendered and the broken links `links` found in their pages."""
    global _shared
    processes = max(1, min(processes, len(urls) // MAX_BATCH))
    batch = max(1, min(MAX_BATCH, len(urls) // (processes * 8)))
    if processes == 1:
        remaining = iter(urls)
        take = lambda: list(itertools.islice(remaining, batch))  # noqa: E731
        return 1, render_share(settings, out, take, links)
    context = multiprocessing.get_context("fork")
    _shared = _Shared(settings, out, urls, links, batch, context.Value("l", 0))
    try:
        with ProcessPoolExecutor(processes, context) as pool:
            shares = [pool.submit(_render_forked_share) for _ in range(processes)]
            # The first failure, if any; else every process's broken links.
            broken = [link for share in shares for link in share.result()]
        return processes, broken
    finally:
        _shared = None
