"""Freezing the portal into static files that any web server or CDN can host.

`freeze` builds its own static-site app from the portal's settings, decides every URL of the
copy (both languages, feeds, open data, sitemap, robots.txt, attachments, static assets, the 404
page), and has Frozen-Flask render and write them, in several processes that check each page's
links as they go. Every page is rendered on every freeze; a file is rewritten only when its
bytes changed, so a sync to a host moves only what changed. Then: the pages made from other
files and Frozen-Flask's removal of stale files, the debtor shards, the link check's verdict,
and Pagefind's index.
"""

from __future__ import annotations

import dataclasses
import os
import resource
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import func, select

from portal.db.load import load_content
from portal.db.models import PressRelease
from portal.debtors.lookup import court_today
from portal.debtors.static_lookup import StaticLookupParams, write_shards
from portal.static_site.app import (
    REGENERATED,
    dispose,
    rendered_last,
    settings_of,
    static_site_app,
)
from portal.static_site.links import BrokenLinks, LinkChecker, raise_broken
from portal.static_site.pagefind import PagefindFailed, run_pagefind
from portal.static_site.render import (
    RenderError,
    check_database,
    render_all,
    render_processes,
    render_with,
)
from portal.static_site.urls import base_path, freeze_urls, output_path
from portal.web.db import session_factory


class FreezeError(RuntimeError):
    """The freeze found a page that answers an error, a file it could not write, or a link to a
    file not in the output."""


@dataclasses.dataclass
class FreezeReport:
    """What a freeze did, for the CLI and the benchmark."""

    urls: int = 0
    processes: int = 1
    written: int = 0
    removed: int = 0
    files: int = 0
    bytes: int = 0
    render_seconds: float = 0.0
    shards: str = ""
    pagefind_seconds: float = 0.0
    seconds: float = 0.0
    # Each step's wall-clock and CPU seconds (CPU of this process and of its finished children:
    # the render processes, Pagefind).
    steps: dict[str, tuple[float, float]] = dataclasses.field(default_factory=dict)

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        """Time the block as step `name`, wall clock and CPU."""
        wall, cpu = time.perf_counter(), cpu_seconds()
        yield
        self.steps[name] = (time.perf_counter() - wall, cpu_seconds() - cpu)

    def step_times(self) -> str:
        """Each step's seconds, wall clock and CPU, on one line."""
        return "; ".join(f"{name} {w:.1f} s (CPU {c:.1f} s)" for name, (w, c) in self.steps.items())

    def summary(self) -> str:
        """One paragraph for the CLI."""
        return (
            f"{self.urls} URLs rendered in {self.processes} process(es); "
            f"{self.written} files written, {self.removed} stale files removed; "
            f"{self.files} files, {self.bytes / 1_000_000:.1f} MB in all; "
            f"pages {self.render_seconds:.1f} s, Pagefind {self.pagefind_seconds:.1f} s, "
            f"total {self.seconds:.1f} s\n{self.step_times()}\n{self.shards}"
        )


def cpu_seconds() -> float:
    """User and system CPU seconds of this process and of its finished children."""
    mine, children = (
        resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    return mine.ru_utime + mine.ru_stime + children.ru_utime + children.ru_stime


def _modification_times(out: Path) -> dict[str, int]:
    """Each file of the pages' freeze in `out` (what is regenerated whole apart), with its
    modification time."""
    times: dict[str, int] = {}
    root = str(out)
    skipped = tuple(folder.rstrip("/") for folder in REGENERATED)
    for folder, folders, names in os.walk(root):
        if folder == root:
            folders[:] = [name for name in folders if name not in skipped]
        prefix = folder[len(root) + 1 :].replace(os.sep, "/")
        for name in names:
            relative = f"{prefix}/{name}" if prefix else name
            times[relative] = os.stat(os.path.join(folder, name)).st_mtime_ns
    return times


def freeze(
    source: Flask | Mapping[str, Any],
    out: Path,
    *,
    pagefind: bool = True,
    processes: int | None = None,
) -> FreezeReport:
    """Freeze the whole site into `out` from `source`'s settings (an app's or a mapping); see
    the module's docstring. `processes` overrides FREEZE_PROCESSES."""
    try:
        return _freeze(settings_of(source), Path(out), pagefind, processes)
    except (RenderError, BrokenLinks, PagefindFailed) as error:
        raise FreezeError(str(error)) from error
    except OSError as error:  # the shards: the disk full or read-only
        what = error.filename or out
        raise FreezeError(f"{what} could not be written: {error.strerror or error}") from error


def _freeze(
    settings: dict[str, Any], out: Path, pagefind: bool, processes: int | None
) -> FreezeReport:
    started = time.perf_counter()
    check_database(settings)
    out.mkdir(parents=True, exist_ok=True)
    report = FreezeReport(processes=processes or render_processes(settings))
    with report.step("files before"):
        before = _modification_times(out)
    # The parent's app decides the URLs, removes stale files and writes the shards; it has no
    # database connection open while render processes fork.
    with report.step("URLs"):
        app = static_site_app(settings, out, sweeping=True)
        factory = session_factory(app)
        with factory() as session:
            if session.scalar(select(func.count()).select_from(PressRelease)) == 0:
                load_content(
                    factory, Path(app.config["CONTENT_DIR"]), Path(app.config["CASES_DIR"])
                )
            urls = freeze_urls(app, session)
        dispose(app)
    report.urls = len(urls)
    last = rendered_last(app)
    first = [url for url in urls if url not in last]
    files = [output_path(url) for url in urls]
    # Every link of every HTML file must point to a file of the output: each render process
    # checks the pages it has just rendered.
    links = LinkChecker(out, files, base_path(app), settings["SITE_URL"])
    with report.step("pages"):
        report.processes, broken = render_all(settings, out, first, report.processes, links)
    # Every other file exists now, so the parent's freezer renders only the pages made from
    # them (the catalogue, with each download's size as written) and removes the files of the
    # output that are not among the URLs (Frozen-Flask's FREEZER_REMOVE_EXTRA_FILES).
    with report.step("sweep"):
        render_with(app, out, lambda: iter(urls))
        broken += [link for url in sorted(last) for link in links.broken_links(output_path(url))]
    report.render_seconds = time.perf_counter() - started
    with report.step("shards"), factory() as session:
        # The debtor check of the static copy: encrypted shards, never the list itself.
        params = StaticLookupParams.from_config(app.config)
        report.shards = write_shards(session, out, court_today(), params).summary()
    dispose(app)
    with report.step("files after"):
        after = _modification_times(out)
    report.removed = len(before.keys() - after.keys())
    report.written = sum(1 for name, time_ns in after.items() if before.get(name) != time_ns)
    raise_broken(broken)
    if pagefind:
        with report.step("Pagefind"):
            run_pagefind(out)
        report.pagefind_seconds = report.steps["Pagefind"][0]
    with report.step("size"):
        files = [os.path.join(folder, name) for folder, _, names in os.walk(out) for name in names]
        report.files, report.bytes = len(files), sum(map(os.path.getsize, files))
    report.seconds = time.perf_counter() - started
    return report
