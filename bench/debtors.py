"""Benchmark of the debtor list: import N generated records (rows/s, phases, peak memory), then
exact (name + number) and name-only lookups through the domain function and over HTTP (the Flask
test client), and the register statistics (the statistics page and the register-statistics
download), with their p50 and p95. SQLite in the work folder by default; `--database-url` a
PostgreSQL server, where the run gets a fresh schema of its own, dropped at the end.

The import here is everything `portal import-debtors` does except deriving the static check's
material (one PBKDF2 a new record, milliseconds each): bench/static_lookup.py measures that.

    .venv/bin/python bench/debtors.py                 # 1,000,000 records, 10,000 lookups each
    .venv/bin/python bench/debtors.py --count 100000  # a quicker run
    .venv/bin/python bench/debtors.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/test

Figures, not a test: nothing here passes or fails.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import os
import random
import resource
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

from flask.testing import FlaskClient
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from portal.db.engine import upgrade_schema
from portal.db.load import load_content
from portal.db.models import RegisterDayCount, RegisterMonthCount
from portal.debtors.demo import generate
from portal.debtors.importer import import_debtors
from portal.debtors.lookup import court_today, lookup
from portal.debtors.records import FIELDS
from portal.debtors.statistics import register_aggregates
from portal.registers.identity import IdentityKeys
from portal.registers.importer import ImportStage
from portal.registers.query import parse_query
from portal.web import create_app
from portal.web.db import database_engine, session_factory

SECRET = "benchmark-secret-key"


def peak_rss_mib(who: int = resource.RUSAGE_SELF) -> float:
    """Peak resident memory of this process so far, or of the largest of its finished children
    (the import's validating processes); Linux reports KiB."""
    return resource.getrusage(who).ru_maxrss / 1024


def write_file(path: Path, count: int, seed: int, samples: int) -> tuple[list, list]:
    """Stream `count` records to CSV; keep `samples` listed (name, number) pairs to look up."""
    today = court_today()
    stride = max(1, count // (samples * 2))
    exact: list[tuple[str, str]] = []
    with path.open("w", encoding="utf-8", newline="") as target:
        writer = csv.DictWriter(target, fieldnames=FIELDS)
        writer.writeheader()
        for index, (values, state) in enumerate(generate(count, seed, today)):
            writer.writerow(values)
            if state == "listed" and index % stride == 0 and len(exact) < samples:
                exact.append((values["name"], values["id_number"]))
    rng = random.Random(seed)
    names = [name for name, _ in exact]
    rng.shuffle(names)
    return exact, names


def percentiles(timings: list[float]) -> str:
    cuts = statistics.quantiles(timings, n=100)
    return f"p50 {cuts[49] * 1000:.2f} ms, p95 {cuts[94] * 1000:.2f} ms"


def timed(calls) -> list[float]:
    timings = []
    for call in calls:
        start = time.perf_counter()
        call()
        timings.append(time.perf_counter() - start)
    return timings


@contextlib.contextmanager
def fresh_database(url: str | None, work: Path) -> Iterator[str]:
    """SQLite in the work folder, or a new schema of the PostgreSQL database at `url`, dropped
    afterwards (as the tests' fixtures do)."""
    if url is None:
        yield f"sqlite:///{work / 'bench.sqlite3'}"
        return
    if make_url(url).get_backend_name() != "postgresql":
        raise SystemExit("--database-url: a postgresql+psycopg:// URL (SQLite is the default)")
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{url}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def load_average() -> str:
    return ", ".join(f"{load:.2f}" for load in os.getloadavg())


def time_register_statistics(client: FlaskClient, factory, requests: int) -> None:
    """The statistics page and the register-statistics download, each answered in full every
    time (the test client sends no validator, and the portal keeps no cache of its own)."""
    with factory() as session:
        days = session.scalar(select(func.count()).select_from(RegisterDayCount))
        months = session.scalar(select(func.count()).select_from(RegisterMonthCount))
        rows = register_aggregates(session)
    listed = sum(row.listed_records for row in rows if row.dimension == "kind")
    # The same generated file gives the same figures on either database.
    print(f"register summary: {days:,} day rows, {months:,} month rows; {listed:,} listed "
          f"records in {len(rows)} aggregate rows")  # fmt: skip
    for url in ("/en/statistics/", "/data/register-statistics.csv"):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        timings = timed(lambda url=url: client.get(url) for _ in range(requests))
        print(f"HTTP {url} ({requests:,}): {percentiles(timings)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--lookups", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--dir", type=Path, default=None, help="work folder (default: a temp one)")
    parser.add_argument("--database-url", default=None, help="PostgreSQL (default: SQLite)")
    parser.add_argument("--statistics-requests", type=int, default=200)
    args = parser.parse_args()
    print(f"load average {load_average()} (1, 5, 15 min) at the start")

    with (
        tempfile.TemporaryDirectory(dir=args.dir) as folder,
        fresh_database(args.database_url, Path(folder)) as database_url,
    ):
        work = Path(folder)
        csv_path = work / "debtors.csv"
        start = time.perf_counter()
        exact, names = write_file(csv_path, args.count, args.seed, args.lookups)
        size, seconds = csv_path.stat().st_size / 2**20, time.perf_counter() - start
        print(f"generated {args.count:,} records ({size:.0f} MiB CSV) in {seconds:.1f} s; "
              f"peak RSS so far {peak_rss_mib():.0f} MiB")  # fmt: skip

        app = create_app(
            {
                "DATABASE_URL": database_url,
                "SECRET_KEY": SECRET,
                "RATELIMIT_ENABLED": False,
            }
        )
        factory = session_factory(app)
        upgrade_schema(database_engine(app))
        # The bundled press release and statistics, so that the statistics page is the real one.
        load_content(factory, Path(app.config["CONTENT_DIR"]), Path(app.config["CASES_DIR"]))
        keys = IdentityKeys.from_secret(SECRET)

        moments: dict[ImportStage, float] = {}
        start, cpu = time.perf_counter(), time.process_time()
        report = import_debtors(
            factory, csv_path, keys, demo=True,
            on_stage=lambda stage: moments.__setitem__(stage, time.perf_counter() - start),
        )  # fmt: skip
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
        print(f"import: {report.summary()}")
        print(f"import: validating and staging {moments[ImportStage.WRITING]:.1f} s, the write "
              f"{elapsed - moments[ImportStage.WRITING]:.1f} s")  # fmt: skip
        # CPU time too: the machine's two cores are shared, so the wall clock includes waiting.
        print("import: without the static check's material (bench/static_lookup.py times it)")
        print(f"import: {args.count / elapsed:,.0f} rows/s ({elapsed:.1f} s wall, {cpu:.1f} s CPU: "
              f"{args.count / cpu:,.0f} rows per CPU-second); "
              f"peak RSS of the process {peak_rss_mib():.0f} MiB, of each validating process "
              f"{peak_rss_mib(resource.RUSAGE_CHILDREN):.0f} MiB")  # fmt: skip

        start = time.perf_counter()
        again = import_debtors(factory, csv_path, keys, demo=True)
        elapsed = time.perf_counter() - start
        print(f"re-import of the same file: {again.unchanged:,} unchanged, "
              f"{args.count / elapsed:,.0f} rows/s ({elapsed:.1f} s)")  # fmt: skip

        today = court_today()
        with factory() as session:
            queries = [parse_query(name, number) for name, number in exact]
            found = sum(lookup(session, keys, query, today).found for query in queries[:100])
            assert found == min(100, len(queries)), "sampled records must be found"
            timings = timed(lambda q=q: lookup(session, keys, q, today) for q in queries)
            print(f"domain, name + number ({len(timings):,}): {percentiles(timings)}")
            name_queries = [parse_query(name, None) for name in names]
            timings = timed(lambda q=q: lookup(session, keys, q, today) for q in name_queries)
            print(f"domain, name only ({len(timings):,}): {percentiles(timings)}")

        client = app.test_client()
        pages = [{"name": name, "number": number} for name, number in exact]
        timings = timed(lambda d=d: client.post("/en/debtors/", data=d) for d in pages)
        print(f"HTTP page, name + number ({len(timings):,}): {percentiles(timings)}")
        timings = timed(lambda n=n: client.post("/en/debtors/", data={"name": n}) for n in names)
        print(f"HTTP page, name only ({len(timings):,}): {percentiles(timings)}")
        bodies = [{"name": name, "id_number": number} for name, number in exact]
        timings = timed(lambda b=b: client.post("/api/v1/debtors/lookup", json=b) for b in bodies)
        print(f"HTTP API, name + number ({len(timings):,}): {percentiles(timings)}")
        time_register_statistics(client, factory, args.statistics_requests)
        print(f"load average {load_average()} (1, 5, 15 min) at the end")
        print(f"peak RSS at the end {peak_rss_mib():.0f} MiB")
        database_engine(app).dispose()
    sys.stdout.flush()


if __name__ == "__main__":
    main()
