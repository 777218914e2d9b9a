"""Freeze benchmark: the full freeze of a large fictional site, Pagefind, the second freeze
after one change, and a plain Frozen-Flask freeze of the same pages as the reference.

    python bench/freeze.py --cases 10000 --press 1000 [--site DIR]

Prints figures; nothing here fails. The debtor check's derivation and shards are measured by
bench/static_lookup.py.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.make_site import make_site  # noqa: E402
from portal.db.engine import upgrade_schema  # noqa: E402
from portal.db.load import load_content  # noqa: E402
from portal.static_site.freeze import freeze, freeze_with_plain_frozen_flask  # noqa: E402
from portal.web import create_app  # noqa: E402
from portal.web.db import database_engine, session_factory  # noqa: E402


def size_of(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10000)
    parser.add_argument("--press", type=int, default=1000)
    parser.add_argument("--site", type=Path, help="reuse (or create) the site in this folder")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="portal-freeze-bench-"))
    site = args.site or work / "site"
    if not (site / "content").is_dir():
        make_site(site, args.cases, args.press, seed=1)
    settings = {
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

    out = work / "out"
    full = freeze(app, out, incremental=False)
    files, size = size_of(out)
    print(f"full freeze: {full.urls} URLs in {full.render_seconds:.1f} s = "
          f"{full.urls / full.render_seconds:.0f} pages/s (pages and files, link check apart); "
          f"Pagefind {full.pagefind_seconds:.1f} s; total {full.seconds:.1f} s; "
          f"output {files} files, {size / 1e6:.0f} MB")  # fmt: skip

    # One change: a case's title, as an editor would make it.
    case_file = sorted((site / "cases").glob("demo-*/01-case.en.md"))[0]
    original = case_file.read_text(encoding="utf-8")
    edited = re.sub(r"^title: .*$", "title: Demo case 1, edited (fictional)", original, count=1,
                    flags=re.MULTILINE)  # fmt: skip
    assert edited != original
    case_file.write_text(edited, encoding="utf-8")
    try:
        load_content(factory, site / "content", site / "cases")
        second = freeze(app, out)
    finally:
        case_file.write_text(original, encoding="utf-8")
    print(f"second freeze after one change: {second.rendered} of {second.urls} rendered, "
          f"{second.written} files written, pages {second.render_seconds:.1f} s "
          f"({100 * second.render_seconds / full.render_seconds:.1f}% of the full freeze's); "
          f"Pagefind {second.pagefind_seconds:.1f} s; total {second.seconds:.1f} s")  # fmt: skip

    plain_out = work / "plain"
    started = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # it warns about the API's endpoints, which stay live
        count = freeze_with_plain_frozen_flask(app, plain_out)
    elapsed = time.perf_counter() - started
    print(f"plain Frozen-Flask: {count} URLs in {elapsed:.1f} s = {count / elapsed:.0f} pages/s "
          f"(no link check, no Pagefind)")  # fmt: skip
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
