"""Helpers for bench/load.sh: a PostgreSQL database of its own, the URLs to load, the report.

python bench/load_helper.py create-db URL NAME   # prints the new database's URL
python bench/load_helper.py drop-db URL NAME
python bench/load_helper.py case-url BASE        # a case page of the running portal
python bench/load_helper.py page-kept URL PATH   # exit 0 if the page cache in Redis keeps PATH
python bench/load_helper.py report RESULTS.jsonl
"""

from __future__ import annotations

import json
import sys
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import redis
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from portal.web.page_cache import DEFAULT_KEY_PREFIX


def create_db(url: str, name: str) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    print(make_url(url).set(database=name).render_as_string(hide_password=False))


def drop_db(url: str, name: str) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


def case_url(base: str) -> None:
    """The page of the newest case in English, from the running portal's API."""
    with urllib.request.urlopen(f"{base}/api/v1/cases?language=en&per_page=1") as answer:
        case = json.load(answer)["items"][0]
    print(urlsplit(case["url_en"]).path)


def page_kept(url: str, path: str) -> None:
    """Exit 1 unless the page cache at `url` (its default key prefix) keeps the page at `path`."""
    connection = redis.Redis.from_url(url)
    try:
        kept = connection.exists(f"{DEFAULT_KEY_PREFIX}{path}")
    finally:
        connection.close()
    sys.exit(0 if kept else 1)


def report(path: str) -> None:
    lines = Path(path).read_text("utf-8").splitlines()
    rows = [json.loads(line) for line in lines if line.strip()]
    header = f"{'database':<11} {'target':<22} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} " \
             f"{'CPU ms/req':>10} {'errors':>7}  statuses"  # fmt: skip
    print(header)
    print("-" * len(header))
    for row in rows:
        print(f"{row['database']:<11} {row['target']:<22} {row['rps']:>9.1f} {row['p50_ms']:>8.2f} "
              f"{row['p99_ms']:>8.2f} {row['cpu_ms']:>10.2f} {row['errors']:>7}  "
              f"{row['statuses']}")  # fmt: skip


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    {
        "create-db": create_db,
        "drop-db": drop_db,
        "case-url": case_url,
        "page-kept": page_kept,
        "report": report,
    }[command](*args)
