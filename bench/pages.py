"""Render time of every page kind through the test client, with no cache anywhere: the median
(and 95th percentile) of the clock and of this process's CPU time per page, which other work on
the machine disturbs less than the clock, and the SQL statements each page runs.

    python bench/pages.py --site DIR --database URL [--requests 50] [--pages statistics,search]

DIR holds content/ and cases/ (`python bench/make_site.py --out DIR`); the database is loaded
from it when it is empty. Import debtors first (`portal import-debtors --demo FILE`) for the
statistics page to count a register. Figures, not tests: nothing here fails.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import event, func, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from portal.db.engine import upgrade_schema  # noqa: E402
from portal.db.load import load_content  # noqa: E402
from portal.db.models import PressRelease  # noqa: E402
from portal.web import create_app  # noqa: E402
from portal.web.db import database_engine, session_factory  # noqa: E402


def page_kinds(client) -> dict[str, str]:
    """A URL of each page kind on the loaded site, found through the API."""

    def first(listing: str) -> dict:
        return json.loads(client.get(f"/api/v1/{listing}?language=en&per_page=1").data)["items"][0]

    release, case = first("press-releases"), first("cases")
    collection = urlsplit(case["url_en"]).path.rstrip("/").rsplit("/", 1)[0]
    return {
        "home": "/en/",
        "page": "/en/about/",
        "press-list": "/en/press/",
        "press-year": f"/en/press/{release['year']}/",
        "press-release": urlsplit(release["url_en"]).path,
        "cases": "/en/cases/",
        "collections": "/en/cases/collections/",
        "cases-facet": f"/en/cases/court/{case['court']}/",
        "collection": f"{collection}/",
        "case": urlsplit(case["url_en"]).path,
        "search": "/en/search/?q=detained",
        "lookup": "/en/debtors/",
        "statistics": "/en/statistics/",
        "data": "/en/data/",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--pages", help="only these page kinds, comma-separated (for valgrind)")
    args = parser.parse_args()
    app = create_app({
        "DATABASE_URL": args.database, "CONTENT_DIR": str(args.site / "content"),
        "CASES_DIR": str(args.site / "cases"), "INDEX_DIR": str(args.site / "search_index"),
        "SECRET_KEY": "page-benchmark-secret-key-0123456789abcdef", "RATELIMIT_ENABLED": False,
        "SEARCH_CACHE_MB": 0,  # the search page reads its words' postings every time
    })  # fmt: skip
    factory = session_factory(app)
    upgrade_schema(database_engine(app))
    with factory() as session:
        if not session.scalar(select(func.count()).select_from(PressRelease)):
            from portal.search.service import rebuild_search_index

            load_content(factory, args.site / "content", args.site / "cases")
            rebuild_search_index(factory, args.site / "search_index")
    client = app.test_client()
    seen: list[str] = []
    event.listen(
        database_engine(app),
        "before_cursor_execute",
        lambda *event_args: seen.append(event_args[2]),
    )
    print(f"{'page':<14} {'p50 ms':>8} {'p95 ms':>8} {'CPU p50':>8} {'SQL':>4}  url")
    wanted = set(args.pages.split(",")) if args.pages else None
    for name, url in page_kinds(client).items():
        if wanted is not None and name not in wanted:
            continue
        for _ in range(3):
            client.get(url)
        clock, cpu = [], []
        for _ in range(args.requests):
            seen.clear()
            start, start_cpu = time.perf_counter(), time.process_time()
            status = client.get(url).status_code
            clock.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
        p95 = statistics.quantiles(clock, n=20)[-1]
        print(f"{name:<14} {statistics.median(clock):>8.2f} {p95:>8.2f} "
              f"{statistics.median(cpu):>8.2f} {len(seen):>4}  {url} ({status})")  # fmt: skip


if __name__ == "__main__":
    main()
