"""Benchmark of the victims' register: import N generated victims with about two payments each
(rows/s, peak memory), then the status check's p95 in the domain and the per-case aggregates'
p95, read from the summary; then over HTTP (the Flask test client, the whole app): the status
check's page and API, the case's page, the statistics page and the aggregates' download and API.

    .venv/bin/python bench/victims.py                       # 500,000 victims, SQLite
    .venv/bin/python bench/victims.py --count 100000 \\
        --database-url 'postgresql+psycopg://postgres@127.0.0.1:5432/test?options=-csearch_path%3Dbench'

A PostgreSQL URL must point at an empty schema (it is migrated, then left as it is).
Figures, not a test: nothing here passes or fails.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import resource
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy.orm import Session

from portal.db.engine import make_engine, make_session_factory, upgrade_schema
from portal.db.models import VictimNotice
from portal.registers.identity import IdentityKeys
from portal.victims import demo
from portal.victims.demo import DEMO_CASE_KEY, generate
from portal.victims.figures import case_figures
from portal.victims.importer import import_victims
from portal.victims.records import FIELDS
from portal.victims.status import check_status

SECRET = "benchmark-secret-key"
# A third batch for the benchmark (the size: two payments a victim on average, about
# 1,000,000 for 500,000 victims), and a day after it, so that every batch has been paid.
demo.BATCHES = (*demo.BATCHES, (3, dt.date(2026, 11, 30), 0.02))
TODAY = dt.date(2026, 12, 1)


def peak_rss_mib(who: int = resource.RUSAGE_SELF) -> float:
    """The peak resident memory of this process (or of its finished children), in MiB."""
    return resource.getrusage(who).ru_maxrss / 1024


def write_file(path: Path, count: int) -> tuple[int, list[tuple[str, str]]]:
    """The import file, streamed; how many payments it holds, and a sample of names and
    numbers to check."""
    payments, sample = 0, []
    rng = random.Random(7)
    with path.open("w", encoding="utf-8", newline="") as target:
        writer = csv.DictWriter(target, fieldnames=FIELDS)
        writer.writeheader()
        for row in generate(count, 1, TODAY):
            writer.writerow(row)
            payments += len(row["payments"].split(";")) if row["payments"] else 0
            if rng.random() < 2000 / count:
                sample.append((row["name"], row["id_number"]))
    return payments, sample


def p95_ms(timings: list[float]) -> float:
    return statistics.quantiles(timings, n=20)[18] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=500_000)
    parser.add_argument("--database-url", default=None, help="default: SQLite in the work folder")
    parser.add_argument("--dir", type=Path, default=None, help="work folder (default: a temp one)")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()} on {os.cpu_count()} cores (shared machine)")
    with tempfile.TemporaryDirectory(dir=args.dir) as folder:
        work = Path(folder)
        start = time.perf_counter()
        payments, sample = write_file(work / "victims.csv", args.count)
        print(f"generated {args.count:,} victims with {payments:,} payments "
              f"in {time.perf_counter() - start:.1f} s")  # fmt: skip
        engine = make_engine(args.database_url or f"sqlite:///{work / 'bench.sqlite3'}")
        upgrade_schema(engine)
        factory = make_session_factory(engine)
        keys = IdentityKeys.from_secret(SECRET)
        with factory.begin() as session:
            day = dt.date(2026, 3, 2)
            session.add(VictimNotice(
                key=DEMO_CASE_KEY, lang="en", title="t", date=day, summary="s", court="c",
                case_number="n", crime="c", opens=day, closes=day, channel="c",
                who_may_register="w", materials=[], anti_fraud="a", payout_rules="p",
                body_html="", source_path="victims/bench.en.md", source_hash="0" * 64,
            ))  # fmt: skip
        start, cpu = time.perf_counter(), time.process_time()
        report = import_victims(factory, work / "victims.csv", keys, demo=True)
        wall = time.perf_counter() - start
        print(f"{engine.dialect.name}: imported {report.rows:,} rows in {wall:.1f} s "
              f"({report.rows / wall:,.0f} rows/s, {time.process_time() - cpu:.1f} s CPU here); "
              f"peak RSS {peak_rss_mib():.0f} MiB, of each validating process "
              f"{peak_rss_mib(resource.RUSAGE_CHILDREN):.0f} MiB")  # fmt: skip
        start = time.perf_counter()
        again = import_victims(factory, work / "victims.csv", keys, demo=True)
        print(f"the same file again: {again.unchanged:,} unchanged in "
              f"{time.perf_counter() - start:.1f} s")  # fmt: skip
        timings, found = [], 0
        with Session(engine) as session:
            for name, number in sample:
                begin = time.perf_counter()
                found += check_status(session, name, number, DEMO_CASE_KEY, keys) is not None
                timings.append(time.perf_counter() - begin)
            print(
                f"status check: {len(timings)} checks, {found} found, "
                f"p95 {p95_ms(timings):.2f} ms, median {statistics.median(timings) * 1000:.2f} ms"
            )
            figures = []
            for _ in range(200):
                begin = time.perf_counter()
                case_figures(session, DEMO_CASE_KEY)
                figures.append(time.perf_counter() - begin)
            print(f"case aggregates: p95 {p95_ms(figures):.2f} ms")
        time_over_http(engine.url.render_as_string(hide_password=False), sample)
        print(f"peak RSS at the end {peak_rss_mib():.0f} MiB")


# -- Over HTTP (the Flask test client): the status check, the case page and the aggregates --


def http_timings(send, requests) -> list[float]:
    """The time of each request sent, answered in full (no validator, no cache of ours)."""
    timings = []
    for request in requests:
        begin = time.perf_counter()
        response = send(request)
        timings.append(time.perf_counter() - begin)
        assert response.status_code == 200, response.status_code
    return timings


def time_over_http(database_url: str, sample: list[tuple[str, str]], requests: int = 200) -> None:
    """The status check's page and API (the sample, then as many that match nothing), and the
    case's notice page, the statistics page and the victim-statistics download and API, over
    HTTP through the app's whole stack (guards, headers, templates), rate limit off."""
    from portal.web import create_app

    app = create_app(
        {"DATABASE_URL": database_url, "SECRET_KEY": SECRET, "RATELIMIT_ENABLED": False}
    )
    client = app.test_client()
    forms = [{"name": n, "number": x, "case": DEMO_CASE_KEY} for n, x in sample]
    first = client.post("/en/victims/status/", data=forms[0])
    assert b"victim-status__number" in first.data, "the first sample must match"
    page = "/en/victims/status/"
    timings = http_timings(lambda form: client.post(page, data=form), forms)
    print(f"HTTP status page, a match ({len(timings)}): p95 {p95_ms(timings):.2f} ms")
    bodies = [{"name": n, "id_number": x, "case_key": DEMO_CASE_KEY} for n, x in sample]
    api = "/api/v1/victims/status"
    timings = http_timings(lambda body: client.post(api, json=body), bodies)
    print(f"HTTP status API, a match ({len(timings)}): p95 {p95_ms(timings):.2f} ms")
    wrong = [{**form, "name": form["name"] + "甲"} for form in forms]
    timings = http_timings(lambda form: client.post(page, data=form), wrong)
    print(f"HTTP status page, no match ({len(timings)}): p95 {p95_ms(timings):.2f} ms")
    for url in (f"/en/victims/{DEMO_CASE_KEY}/", "/en/statistics/",
                "/data/victim-statistics.csv", "/api/v1/victims/statistics"):  # fmt: skip
        timings = http_timings(client.get, [url] * requests)
        print(f"HTTP {url} ({requests}): p95 {p95_ms(timings):.2f} ms")


if __name__ == "__main__":
    main()
