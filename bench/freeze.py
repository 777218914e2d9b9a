"""Freeze benchmark: `portal freeze` of a large fictional site against a single-process plain
Frozen-Flask freeze of the same URLs and app, the time to render one page of each kind, and the
files a second freeze writes after one change.

    python bench/freeze.py --cases 11000 --press 1000 [--processes 2] [--site DIR]

Prints figures; nothing here fails. Pagefind and the debtor check are measured apart (Pagefind
is left out here; bench/static_lookup.py measures the shards).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.make_site import make_site  # noqa: E402
from portal.db.engine import upgrade_schema  # noqa: E402
from portal.db.load import load_content  # noqa: E402
from portal.static_site.app import dispose, static_site_app  # noqa: E402
from portal.static_site.freeze import cpu_seconds, freeze  # noqa: E402
from portal.static_site.render import freezer_for, run_freezer  # noqa: E402
from portal.static_site.urls import freeze_urls  # noqa: E402
from portal.web import create_app  # noqa: E402
from portal.web.db import database_engine, session_factory  # noqa: E402

SAMPLES_PER_KIND = 40


def plain_frozen_flask(settings: dict[str, object], out: Path, urls: list[str]) -> float:
    """Seconds a single plain Frozen-Flask freezer takes over `urls`, on the static-site app."""
    app = static_site_app(settings, out)
    started = time.perf_counter()
    run_freezer(freezer_for(app, lambda: iter(urls)))
    elapsed = time.perf_counter() - started
    dispose(app)
    return elapsed


def render_times(settings: dict[str, object], out: Path, urls: list[str]) -> dict[str, float]:
    """The median milliseconds of one test-client GET, per endpoint, with every cache off."""
    app = static_site_app(settings, out)
    adapter = app.url_map.bind("localhost")
    by_kind: dict[str, list[str]] = defaultdict(list)
    for url in urls:
        endpoint = adapter.match(url)[0]
        if len(by_kind[endpoint]) < SAMPLES_PER_KIND:
            by_kind[endpoint].append(url)
    client = app.test_client()
    medians = {}
    for endpoint, sample in sorted(by_kind.items()):
        client.get(sample[0])  # templates compiled, the first connection opened
        times = []
        for url in sample:
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
            assert response.status_code == 200, url
        medians[endpoint] = 1000 * statistics.median(times)
    dispose(app)
    return medians


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=11000)
    parser.add_argument("--press", type=int, default=1000)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--site", type=Path, help="reuse (or create) the site in this folder")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="portal-freeze-bench-"))
    site = args.site or work / "site"
    if not (site / "content").is_dir():
        make_site(site, args.cases, args.press, seed=1)
    settings: dict[str, object] = {
        "DATABASE_URL": f"sqlite:///{work / 'portal.sqlite3'}",
        "CONTENT_DIR": str(site / "content"),
        "CASES_DIR": str(site / "cases"),
        "INDEX_DIR": str(work / "index"),
        "SITE_URL": "https://enforcement.court.example",
    }
    app = create_app(settings)
    factory = session_factory(app)
    upgrade_schema(database_engine(app))
    started = time.perf_counter()
    load_content(factory, site / "content", site / "cases")
    print(f"portal load: {time.perf_counter() - started:.1f} s")
    with factory() as session:
        urls = freeze_urls(app, session)
    dispose(app)

    out = work / "out"
    cpu = cpu_seconds()
    full = freeze(settings, out, pagefind=False, processes=args.processes)
    full_cpu = cpu_seconds() - cpu
    whole = full.seconds  # URL list, pages, stale files, shards and link check; no Pagefind
    print(f"portal freeze ({full.processes} processes): {full.urls} URLs; pages "
          f"{full.render_seconds:.1f} s = {full.urls / full.render_seconds:.0f} pages/s; "
          f"with stale files, shards and link check {whole:.1f} s = "
          f"{full.urls / whole:.0f} pages/s; CPU {full_cpu:.1f} s")  # fmt: skip
    print(f"  steps: {full.step_times()}")

    cpu = cpu_seconds()
    plain = plain_frozen_flask(settings, work / "plain", urls)
    print(f"plain Frozen-Flask (1 process): {len(urls)} URLs in {plain:.1f} s = "
          f"{len(urls) / plain:.0f} pages/s; CPU {cpu_seconds() - cpu:.1f} s")  # fmt: skip
    print(f"load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"ratio: pages {plain / full.render_seconds:.2f}x, whole freeze {plain / whole:.2f}x "
          "plain Frozen-Flask (target >= 1.6)")  # fmt: skip

    print("median ms to render one page (test client GET, no cache):")
    for endpoint, milliseconds in render_times(settings, out, urls).items():
        print(f"  {endpoint:28} {milliseconds:6.1f} ms")

    # One change: a case's title, as an editor would make it.
    case_file = sorted((site / "cases").glob("demo-*/01-case.en.md"))[0]
    original = case_file.read_text(encoding="utf-8")
    edited = re.sub(r"^title: .*$", "title: Demo case 1, edited (fictional)", original, count=1,
                    flags=re.MULTILINE)  # fmt: skip
    assert edited != original
    case_file.write_text(edited, encoding="utf-8")
    try:
        load_content(factory, site / "content", site / "cases")
        second = freeze(settings, out, pagefind=False, processes=args.processes)
    finally:
        case_file.write_text(original, encoding="utf-8")
    print(f"second freeze after one case title changed: {second.written} of {second.urls} files "
          f"written (debtor shards apart), {second.seconds:.1f} s")  # fmt: skip
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
