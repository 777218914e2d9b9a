"""Freezing the portal into static files that any web server or CDN can host.

Every public page is rendered through the app itself (its test client), in both languages,
with the feeds, the open-data files, the sitemap, robots.txt, attachments, static assets and a
404 page. Stale files are removed, and every link and asset in the output must point to a file
in it, or the freeze fails naming both.

A freeze is incremental: while rendering a page it records what the page read from the database
(the rows it loaded, the tables it listed, the collection whose cases it listed), and the next
freeze renders again only the pages whose inputs changed. Files whose bytes did not change are
not rewritten, so they keep their timestamps.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import multiprocessing
import os
import posixpath
import re
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from flask import Flask, render_template, url_for
from sqlalchemy import Table, event, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.util import find_tables

from portal.db.load import load_content
from portal.db.models import Attachment, Base, PressRelease
from portal.db.site_map import public_pages
from portal.debtors.lookup import court_today
from portal.debtors.static_lookup import StaticLookupParams, write_shards
from portal.text.languages import LANGUAGE_CODES
from portal.web.blueprints.search import init_search
from portal.web.db import database_engine, request_session_factory, session_factory

# Tables whose rows a page depends on one by one; any other table a page reads, it depends on
# whole. Attachments and case measures are part of their release's or case's own version.
ROW_TABLES = ("press_releases", "cases", "collections", "pages")
# What a listing of a row table depends on besides the rows it shows: which rows there are and
# what they are sorted, filtered and counted by. A new title changes only the pages showing it.
LISTING_COLUMNS = {
    "press_releases": ("id", "year", "slug", "lang", "date"),
    "cases": ("id", "collection", "slug", "lang", "number", "year", "court", "cause", "category"),
    "collections": ("id", "key", "lang", "year", "category"),
    "pages": ("id", "slug", "lang"),
}
# Reading the content generation (portal/page_cache.py) is how a page knows its inputs are the
# same, not an input itself.
COVERED_TABLES = frozenset({"attachments", "case_measures", "alembic_version"})
MANIFEST_NAME = "freeze-manifest.json"
# What the freeze regenerates whole every time, and so never counts as stale.
REGENERATED = ("pagefind", "static-lookup")
NOT_FOUND_PROBE = "this-page-does-not-exist"
_LINK = re.compile(rb"""(?:href|src)\s*=\s*["']([^"']+)["']""", re.IGNORECASE)


class FreezeError(RuntimeError):
    """The freeze found a page that answers an error, or a link to a file not in the output."""


@dataclasses.dataclass
class FreezeReport:
    """What a freeze did, for the CLI and the benchmark."""

    urls: int = 0
    rendered: int = 0
    skipped: int = 0
    written: int = 0
    removed: int = 0
    files: int = 0
    bytes: int = 0
    render_seconds: float = 0.0
    shards: str = ""
    pagefind_seconds: float = 0.0
    seconds: float = 0.0

    def summary(self) -> str:
        """One paragraph for the CLI."""
        return (
            f"{self.urls} URLs: {self.rendered} rendered, {self.skipped} unchanged; "
            f"{self.written} files written, {self.removed} stale files removed; "
            f"{self.files} files, {self.bytes / 1_000_000:.1f} MB in all; "
            f"pages {self.render_seconds:.1f} s, Pagefind {self.pagefind_seconds:.1f} s, "
            f"total {self.seconds:.1f} s\n{self.shards}"
        )


# What a page read -------------------------------------------------------------------------


class _ReadRecorder:
    """Listens to the app's sessions and notes what the page being rendered reads."""

    def __init__(self) -> None:
        self.reads: set[tuple[Any, ...]] | None = None

    def on_execute(self, state: Any) -> None:
        if self.reads is None or not state.is_select:
            return
        options = state.execution_options
        if options.get("by_key"):
            return  # named rows: the rows loaded say it all
        if partition := options.get("partition"):
            self.reads.add(("partition", *partition))
            return
        kind = "versions" if options.get("versions") else "table"
        for table in find_tables(state.statement, include_selects=True, include_joins=True):
            if isinstance(table, Table) and table.name not in COVERED_TABLES:
                self.reads.add((kind, table.name))

    def on_load(self, _session: Session, instance: Any) -> None:
        if self.reads is not None and instance.__table__.name in ROW_TABLES:
            self.reads.add(("row", instance.__table__.name, instance.id))

    @contextlib.contextmanager
    def capture(self) -> Iterator[set[tuple[Any, ...]]]:
        """Collect apart what is read inside, then count it as read by the page too."""
        outer, self.reads = self.reads, set()
        captured = self.reads
        try:
            yield captured
        finally:
            self.reads = outer
            self.replay(frozenset(captured))

    def replay(self, reads: frozenset[tuple[Any, ...]]) -> None:
        """Count as read what a result kept in memory was computed from."""
        if self.reads is not None:
            self.reads.update(reads)


class _CurrentVersions:
    """The version of everything a page can depend on, as the database holds it now."""

    def __init__(self, session: Session, today: str) -> None:
        self.session = session
        self.today = today
        self.rows: dict[str, dict[int, str]] = {}
        for name in ROW_TABLES:
            table = Base.metadata.tables[name]
            query = select(table.c.id, table.c.source_hash, table.c.updated_at)
            self.rows[name] = {i: f"{h}@{u}" for i, h, u in session.execute(query)}
        self._tables: dict[str, str] = {}
        self._all_rows: dict[str, str] = {}
        self._partitions: dict[tuple[str, ...], str] = {}

    def version(self, read: tuple[Any, ...]) -> str | None:
        kind = read[0]
        if kind == "row":
            return self.rows.get(read[1], {}).get(read[2])
        if kind == "partition":
            return self._partition(tuple(read[1:]))
        if kind == "versions" and read[1] in self.rows:
            return self._row_versions(read[1])
        return self._table(read[1])

    def _row_versions(self, name: str) -> str:
        if name not in self._all_rows:
            rows = repr(sorted(self.rows[name].items())).encode()
            self._all_rows[name] = hashlib.sha256(rows).hexdigest()
        return self._all_rows[name]

    def _table(self, name: str) -> str:
        if name not in self._tables:
            digest = hashlib.sha256()
            if name in LISTING_COLUMNS:
                table = Base.metadata.tables[name]
                columns = [table.c[column] for column in LISTING_COLUMNS[name]]
                for row in self.session.execute(select(*columns).order_by(table.c.id)):
                    digest.update(repr(tuple(row)).encode())
                if name == "cases":
                    measures = Base.metadata.tables["case_measures"]
                    query = select(measures.c.case_id, measures.c.measure).order_by(measures.c.id)
                    digest.update(repr(self.session.execute(query).all()).encode())
            elif name in Base.metadata.tables:
                table = Base.metadata.tables[name]
                for row in self.session.execute(select(table).order_by(*table.primary_key)):
                    digest.update(repr(tuple(row)).encode())
                if name == "debtor_records":
                    digest.update(self.today.encode())  # a listing can expire overnight
            self._tables[name] = digest.hexdigest()
        return self._tables[name]

    def _partition(self, partition: tuple[str, ...]) -> str:
        if partition not in self._partitions:
            name, column, value = partition
            table = Base.metadata.tables[name]
            query = select(table.c.id).where(table.c[column] == value).order_by(table.c.id)
            versions = [(i, self.rows[name].get(i)) for (i,) in self.session.execute(query)]
            self._partitions[partition] = hashlib.sha256(repr(versions).encode()).hexdigest()
        return self._partitions[partition]


# Where things go ---------------------------------------------------------------------------


def _base_path(app: Flask) -> str:
    """The sub-path the site is served from ('' at the root), from PORTAL_SITE_URL."""
    return urlsplit(app.config["SITE_URL"]).path.rstrip("/")


def _output_path(url: str) -> str:
    """The file a URL path (without the base path) is written to, relative to the output."""
    path = url.split("?", 1)[0].split("#", 1)[0].lstrip("/")
    return posixpath.join(path, "index.html") if path == "" or path.endswith("/") else path


def freeze_urls(app: Flask, session: Session) -> list[str]:
    """Every URL path (with the base path) that a frozen copy holds."""
    config = app.config
    urls: list[str] = []
    for page in public_pages(session, config["PRESS_PAGE_SIZE"], config["CASES_PAGE_SIZE"]):
        urls += [url_for(page.endpoint, lang=lang, **page.values) for lang in page.languages]
        if page.endpoint == "cases.facet" and "page" not in page.values:
            urls += [url_for("feeds.facet", lang=lang, **page.values) for lang in LANGUAGE_CODES]
    for lang in LANGUAGE_CODES:
        for endpoint in ("search.index", "debtors.index", "feeds.press", "feeds.cases"):
            if endpoint in app.view_functions:
                urls.append(url_for(endpoint, lang=lang))
    from portal.opendata import datasets as opendata

    for dataset in opendata.published_datasets(session):
        urls += [url_for("data.download", key=dataset.key, format=f) for f in ("csv", "json")]
    urls += [url_for("data.catalogue"), url_for("sitemap.sitemap"), url_for("sitemap.robots")]
    paths = session.scalars(select(Attachment.path).where(Attachment.path.is_not(None)).distinct())
    urls += [url_for("site.attachment_file", path=path) for path in paths]
    return list(dict.fromkeys(urls))


def _static_files(app: Flask) -> Iterator[tuple[str, Path]]:
    folder = Path(app.static_folder or "")
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            yield f"static/{path.relative_to(folder).as_posix()}", path


def _code_version(app: Flask) -> str:
    """Templates, code, stylesheets, translations and settings: change any, and every page is
    rendered again."""
    digest = hashlib.sha256()
    package = Path(__file__).parent
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            digest.update(path.relative_to(package).as_posix().encode())
            digest.update(path.read_bytes())
    for name in ("SITE_URL", "PRESS_PAGE_SIZE", "CASES_PAGE_SIZE", "SEARCH_PAGE_SIZE"):
        digest.update(f"{name}={app.config.get(name)}".encode())
    return digest.hexdigest()


def _write(target: Path, data: bytes) -> bool:
    """Write `data` unless the file holds it already (so unchanged files keep their time)."""
    if target.is_file() and target.stat().st_size == len(data) and target.read_bytes() == data:
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, target)
    return True


# Checking the output -----------------------------------------------------------------------


def check_links(out: Path, files: Iterable[str], base_path: str, site_url: str) -> None:
    """Every link and asset of every HTML file in the output must point to a file in it."""
    present = set(files)
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(site_url))
    broken: list[str] = []
    # Pages link the same navigation and assets: resolve each link once (once per folder if
    # it is relative).
    resolved: dict[tuple[str, bytes], str | None] = {}

    def problem(folder: str, raw: bytes) -> str | None:
        link = raw.decode("utf-8", "replace").replace("&amp;", "&")
        if link.startswith(("#", "mailto:", "tel:", "data:", "javascript:")):
            return None
        if re.match(r"^[a-z][a-z0-9+.-]*:", link, re.IGNORECASE) or link.startswith("//"):
            if not link.startswith(origin + "/") and link != origin:
                return None  # another site
            link = link[len(origin) :] or "/"
        path = urlsplit(urljoin(folder, link)).path
        if not path.startswith(base_path + "/") and path != base_path:
            return f"{link} (outside {base_path or '/'})"
        return None if _output_path(path[len(base_path) :]) in present else link

    for name in sorted(present):
        if not name.endswith(".html"):
            continue
        folder = posixpath.dirname(f"{base_path}/{name}") + "/"
        for raw in _LINK.findall((out / name).read_bytes()):
            relative = not raw.startswith(b"/") and b":" not in raw
            key = (folder if relative else "", raw)
            if key not in resolved:
                resolved[key] = problem(folder, raw)
            if resolved[key] is not None:
                broken.append(f"{name} -> {resolved[key]}")
    if broken:
        shown = "\n  ".join(broken[:50])
        more = f"\n  ... and {len(broken) - 50} more" if len(broken) > 50 else ""
        raise FreezeError(f"{len(broken)} link(s) to files not in the output:\n  {shown}{more}")


def _output_files(out: Path) -> set[str]:
    """The files in the output now, as paths relative to it (what the freeze regenerates whole
    apart)."""
    files: set[str] = set()
    root = str(out)
    for folder, folders, names in os.walk(root):
        if folder == root:
            folders[:] = [name for name in folders if name not in REGENERATED]
            files.update(names)
        else:  # a folder below the root: its path relative to it, with forward slashes
            relative = folder[len(root) + 1 :].replace(os.sep, "/")
            files.update(f"{relative}/{name}" for name in names)
    return files


def _folders_of(path: str) -> Iterator[str]:
    while "/" in path:
        path = path.rsplit("/", 1)[0]
        yield path


def _remove_stale(out: Path, before: set[str], keep: set[str]) -> int:
    """Remove the files that were in the output before this freeze and are not in it now, and
    the folders that leaves empty."""
    stale = before - keep
    for relative in stale:
        (out / relative).unlink(missing_ok=True)
    occupied = {folder for path in keep for folder in _folders_of(path)}
    emptied = {folder for path in stale for folder in _folders_of(path)} - occupied
    for folder in sorted(emptied, key=len, reverse=True):  # the deepest first
        with contextlib.suppress(OSError):  # not empty after all: something else put a file there
            (out / folder).rmdir()
    return len(stale)


def _run_pagefind(out: Path) -> None:
    """Index the output for the search page: one index per language (Chinese segmented)."""
    command = [sys.executable, "-m", "pagefind", "--site", str(out), "--quiet"]
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise FreezeError(
            f"Pagefind failed ({result.returncode}): {result.stderr or result.stdout}"
        )


# The freeze --------------------------------------------------------------------------------


def _manifest_path(app: Flask, out: Path) -> Path:
    # Kept beside the instance, not in the output: it is not for publication.
    key = hashlib.sha256(str(out.resolve()).encode()).hexdigest()[:16]
    return Path(app.config["FREEZE_STATE_DIR"]) / f"{key}-{MANIFEST_NAME}"


# The manifest: each page's reads, as indices into one table of every distinct read and the
# version it had, so a read shared by thousands of pages is stored and checked once.
_Read = tuple[Any, ...]
_Page = tuple[list[_Read], float]  # what a page read, and how long it took to render


def _load_manifest(path: Path, code_version: str) -> tuple[dict[str, Any], list[Any]]:
    """The previous freeze's pages (each: indices into the table of reads, and its seconds) and
    its table of reads (each: the read and its version then); nothing if the code changed."""
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}, []
    if manifest.get("code") != code_version or "reads" not in manifest:
        return {}, []
    return manifest["pages"], manifest["reads"]


def _changed_reads(table: list[Any], current: _CurrentVersions) -> tuple[list[_Read], set[int]]:
    """The previous table's reads, and the indices of those whose version has changed."""
    reads = [tuple(read) for read, _ in table]
    changed = {i for i, (read, (_, version)) in enumerate(zip(reads, table, strict=True))
               if current.version(read) != version}  # fmt: skip
    return reads, changed


def _write_manifest(
    path: Path, code_version: str, pages: dict[str, _Page], current: _CurrentVersions
) -> None:
    index_of: dict[_Read, int] = {}
    entries = {
        url: ([index_of.setdefault(read, len(index_of)) for read in reads], round(seconds, 4))
        for url, (reads, seconds) in pages.items()
    }
    table = [[list(read), current.version(read)] for read in index_of]
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps({"code": code_version, "reads": table, "pages": entries})
    path.write_text(text, encoding="utf-8")


def freeze(
    app: Flask,
    out: Path,
    *,
    incremental: bool = True,
    pagefind: bool = True,
) -> FreezeReport:
    """Freeze the whole site into `out`; see the module's docstring."""
    started = time.perf_counter()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    report = FreezeReport()
    before = _output_files(out)
    base_path = _base_path(app)
    factory = session_factory(app)
    with factory() as session:
        if session.scalar(select(func.count()).select_from(PressRelease)) == 0:
            load_content(factory, Path(app.config["CONTENT_DIR"]), Path(app.config["CASES_DIR"]))
    previous_freezing = app.config["FREEZING"]
    app.config["FREEZING"] = True
    recorder = _ReadRecorder()
    # The pages are rendered through requests: their sessions are the ones to listen to.
    requests = request_session_factory(app)
    event.listen(requests, "do_orm_execute", recorder.on_execute)
    event.listen(requests, "loaded_as_persistent", recorder.on_load)
    try:
        produced = _freeze_pages(app, out, base_path, recorder, report, incremental, before)
        with factory() as session:
            # The debtor check of the static copy: encrypted shards, never the list itself.
            params = StaticLookupParams.from_config(app.config)
            report.shards = write_shards(session, out, court_today(), params).summary()
    finally:
        event.remove(requests, "loaded_as_persistent", recorder.on_load)
        event.remove(requests, "do_orm_execute", recorder.on_execute)
        app.config["FREEZING"] = previous_freezing
    report.removed = _remove_stale(out, before, produced)
    check_links(out, produced, base_path, app.config["SITE_URL"])
    if pagefind:
        pagefind_started = time.perf_counter()
        _run_pagefind(out)
        report.pagefind_seconds = time.perf_counter() - pagefind_started
    files = [os.path.join(folder, name) for folder, _, names in os.walk(out) for name in names]
    report.files, report.bytes = len(files), sum(map(os.path.getsize, files))
    report.seconds = time.perf_counter() - started
    return report


def _freeze_pages(
    app: Flask,
    out: Path,
    base_path: str,
    recorder: _ReadRecorder,
    report: FreezeReport,
    incremental: bool,
    existing: set[str],
) -> set[str]:
    render_started = time.perf_counter()
    code_version = _code_version(app)
    manifest_path = _manifest_path(app, out)
    base_url = f"http://freeze.invalid{base_path}/"
    produced: set[str] = set()
    pages: dict[str, _Page] = {}
    factory = session_factory(app)
    with factory() as session, app.test_request_context(base_url=base_url):
        current = _CurrentVersions(session, court_today().isoformat())
        urls = freeze_urls(app, session)
    previous, table = _load_manifest(manifest_path, code_version) if incremental else ({}, [])
    previous_reads, changed = _changed_reads(table, current)
    report.urls = len(urls)
    to_render: list[tuple[str, str]] = []
    for url in urls:
        relative = _output_path(url[len(base_path) :])
        produced.add(relative)
        known = previous.get(url)
        if known and relative in existing and changed.isdisjoint(known[0]):
            pages[url] = ([previous_reads[i] for i in known[0]], known[1])
            report.skipped += 1
        else:
            to_render.append((url, relative))
    # The pages that took longest last time first (whole-register downloads, say), so that
    # the processes finish together rather than one waiting on the last big page.
    to_render.sort(key=lambda page: -previous.get(page[0], ((), 0.0))[1])
    job = _RenderJob(app, recorder, out, base_path, base_url)
    for url, reads, written, seconds in _render_all(job, to_render):
        report.rendered += 1
        report.written += written
        pages[url] = (reads, seconds)
    client = app.test_client()
    for relative, source in _static_files(app):
        produced.add(relative)
        report.written += _write(out / relative, source.read_bytes())
    with app.test_request_context(base_url=base_url):
        probe = url_for("site.home", lang=LANGUAGE_CODES[0]) + f"{NOT_FOUND_PROBE}/"
        root = render_template("root_redirect.html", home=url_for("site.home", lang="en"))
    not_found = client.get(probe[len(base_path) :], base_url=base_url)
    if not_found.status_code != 404:
        raise FreezeError(f"{probe} answered {not_found.status_code}, expected the 404 page")
    for relative, data in (("404.html", not_found.get_data()), ("index.html", root.encode())):
        produced.add(relative)
        report.written += _write(out / relative, data)
    _write_manifest(manifest_path, code_version, pages, current)
    report.render_seconds = time.perf_counter() - render_started
    return produced


@dataclasses.dataclass(frozen=True)
class _RenderJob:
    """What rendering pages needs; forked render processes inherit it."""

    app: Flask
    recorder: _ReadRecorder
    out: Path
    base_path: str
    base_url: str


# Rendered: the URL, what the page read, whether its file was (re)written, and how long it took.
_Rendered = tuple[str, list[tuple[Any, ...]], bool, float]
_forked_job: _RenderJob | None = None


def _render(job: _RenderJob, batch: list[tuple[str, str]]) -> list[_Rendered]:
    """Render `batch` (URL, output file) through the app, writing each page's file."""
    client = job.app.test_client()
    rendered: list[_Rendered] = []
    for url, relative in batch:
        started = time.perf_counter()
        job.recorder.reads = set()
        response = client.get(url[len(job.base_path) :], base_url=job.base_url)
        reads, job.recorder.reads = job.recorder.reads, None
        if response.status_code != 200:
            raise FreezeError(f"{url} answered {response.status_code}; nothing was published")
        written = _write(job.out / relative, response.get_data())
        rendered.append((url, sorted(reads), written, time.perf_counter() - started))
    return rendered


def _start_render_process() -> None:
    # A forked process must not share the parent's database connections or open index files.
    assert _forked_job is not None
    app = _forked_job.app
    database_engine(app).dispose(close=False)
    init_search(app)


def _render_forked_batch(batch: list[tuple[str, str]]) -> list[_Rendered]:
    assert _forked_job is not None
    return _render(_forked_job, batch)


def _render_processes(app: Flask) -> int:
    """How many processes render: FREEZE_PROCESSES, or one per core; one for an in-memory
    SQLite database, which another process cannot see."""
    engine = database_engine(app)
    if engine.url.get_backend_name() == "sqlite" and engine.url.database in (None, "", ":memory:"):
        return 1
    return app.config["FREEZE_PROCESSES"] or os.cpu_count() or 1


def _batches(pages: list[tuple[str, str]], size: int) -> list[list[tuple[str, str]]]:
    """`pages` in batches of about `size`, in order, but the formats of one file (a dataset's
    CSV and JSON) always in one batch: one process then reads the dataset once for both."""
    formats: dict[str, list[tuple[str, str]]] = {}
    for page in pages:
        formats.setdefault(posixpath.splitext(page[0])[0], []).append(page)
    batches: list[list[tuple[str, str]]] = [[]]
    for group in formats.values():
        if len(batches[-1]) >= size:
            batches.append([])
        batches[-1] += group
    return [batch for batch in batches if batch]


def _render_all(job: _RenderJob, pages: list[tuple[str, str]]) -> Iterator[_Rendered]:
    """Render `pages`, in forked processes that share the work when there are several cores.
    Pages are independent, so the output is the same however the work is shared."""
    global _forked_job
    processes = min(_render_processes(job.app), max(1, len(pages) // 20))
    if processes <= 1:
        yield from _render(job, pages)
        return
    # Batches small enough to share out evenly, big enough that handing them out costs little.
    size = max(1, min(100, len(pages) // (processes * 16)))
    batches = _batches(pages, size)
    _forked_job = job
    try:
        context = multiprocessing.get_context("fork")
        pool = ProcessPoolExecutor(processes, context, _start_render_process)
        try:
            for rendered in pool.map(_render_forked_batch, batches):
                yield from rendered
        finally:
            # On a failed page, stop at once rather than render what is left.
            pool.shutdown(wait=True, cancel_futures=True)
    finally:
        _forked_job = None


def freeze_with_plain_frozen_flask(app: Flask, out: Path) -> int:
    """The same pages through a plain Frozen-Flask setup, no incremental logic: the benchmark's
    reference. Returns how many URLs it wrote."""
    from flask_frozen import Freezer

    app.config.update(
        FREEZER_DESTINATION=str(Path(out).resolve()),
        FREEZER_BASE_URL=app.config["SITE_URL"],
        FREEZER_IGNORE_MIMETYPE_WARNINGS=True,
        FREEZING=True,
    )
    freezer = Freezer(app, with_static_files=True, with_no_argument_rules=False, log_url_for=False)
    factory = session_factory(app)

    @freezer.register_generator
    def every_url() -> Iterator[str]:
        base_path = _base_path(app)
        with factory() as session, app.test_request_context(base_url=f"http://x{base_path}/"):
            urls = freeze_urls(app, session)
        yield from (url[len(base_path) :] for url in urls)

    try:
        return len(freezer.freeze())
    finally:
        app.config["FREEZING"] = False
