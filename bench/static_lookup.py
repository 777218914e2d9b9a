"""Benchmark of the static debtor check and of the guessing costs of docs/debtors.md: PBKDF2
speed on one core and on all, writing the shards of N generated records (one PBKDF2 per distinct
name, at the freeze), the HMAC speed of the live exact lookup's id_hash (what a holder of the
secret key pays per candidate number), and the candidates the mask leaves.

    .venv/bin/python bench/static_lookup.py                      # 100,000 records, default count
    .venv/bin/python bench/static_lookup.py --count 10000 --iterations 20000

Figures, not a test: nothing here passes or fails.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import os
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from portal.config import default_settings
from portal.db.engine import upgrade_schema
from portal.debtors.demo import generate
from portal.debtors.importer import import_debtors
from portal.debtors.lookup import court_today
from portal.debtors.records import FIELDS
from portal.debtors.static_lookup import (
    DEFAULT_ITERATIONS,
    StaticLookupParams,
    cpu_workers,
    write_shards,
)
from portal.registers.identity import IdentityKeys, mask_candidates, mask_number
from portal.web import create_app
from portal.web.db import database_engine, session_factory

SECRET = "benchmark-secret-key"


def pbkdf2_rates(iterations: int, calls: int) -> tuple[float, float]:
    """Derivations per second on one thread and on one thread per core."""

    def one(index: int) -> bytes:
        return hashlib.pbkdf2_hmac("sha256", f"{index}".encode(), b"salt", iterations, 32)

    start = time.perf_counter()
    for index in range(calls):
        one(index)
    single = calls / (time.perf_counter() - start)
    with ThreadPoolExecutor(cpu_workers()) as executor:
        start = time.perf_counter()
        list(executor.map(one, range(calls * cpu_workers())))
        parallel = calls * cpu_workers() / (time.perf_counter() - start)
    return single, parallel


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--iterations", type=int, default=DEFAULT_ITERATIONS)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--dir", type=Path, default=None, help="work folder (default: a temp one)")
    args = parser.parse_args()
    params = StaticLookupParams(iterations=args.iterations)
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at the start")

    single, parallel = pbkdf2_rates(args.iterations, 200)
    print(f"PBKDF2-HMAC-SHA256 x {args.iterations:,}: {single:,.0f}/s on one thread "
          f"({1000 / single:.2f} ms a guess), {parallel:,.0f}/s on {cpu_workers()} threads "
          f"(x{parallel / single:.2f})")  # fmt: skip

    keys = IdentityKeys.from_secret(SECRET)
    calls = 200_000
    start = time.perf_counter()
    for index in range(calls):
        keys.number_hash(f"{310101196302030000 + index}")
    hmac_rate = calls / (time.perf_counter() - start)
    candidates = mask_candidates(mask_number("310107196302030978"), court_today())
    print(f"id_hash (HMAC-SHA256): {hmac_rate:,.0f}/s on one thread; the mask leaves "
          f"{candidates:,} candidates, so a holder of the key needs up to "
          f"{candidates / hmac_rate:,.0f} s of one core per person record")  # fmt: skip
    limits = str(default_settings(Path("."), Path("."))["DEBTOR_LOOKUP_LIMITS"])
    per_day = int(limits.split(";")[-1].split()[0])
    print(f"live exact lookup at the default limits ({limits}): at least 100,000 guesses take "
          f"{100_000 / per_day:,.0f} days from one address; all {candidates:,} take "
          f"{candidates / per_day / 365:,.0f} years")  # fmt: skip

    with tempfile.TemporaryDirectory(dir=args.dir) as folder:
        work = Path(folder)
        csv_path = work / "debtors.csv"
        with csv_path.open("w", encoding="utf-8", newline="") as target:
            writer = csv.DictWriter(target, fieldnames=FIELDS)
            writer.writeheader()
            for values, _ in generate(args.count, args.seed, court_today()):
                writer.writerow(values)

        app = create_app(
            {
                "DATABASE_URL": f"sqlite:///{work / 'bench.sqlite3'}",
                "SECRET_KEY": SECRET,
                "STATIC_LOOKUP_ITERATIONS": args.iterations,
            }
        )
        factory = session_factory(app)
        upgrade_schema(database_engine(app))
        start = time.perf_counter()
        report = import_debtors(factory, csv_path, keys, demo=True)
        elapsed = time.perf_counter() - start
        print(f"import: {report.summary()}")
        print(f"import: {args.count / elapsed:,.0f} records/s ({elapsed:.1f} s); "
              f"load average {os.getloadavg()[0]:.2f}")  # fmt: skip

        out = work / "site"
        with app.app_context(), factory() as session:
            start, cpu = time.perf_counter(), time.process_time()
            shards = write_shards(session, out, court_today(), params)
            elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
        size = sum(p.stat().st_size for p in (out / "static-lookup").rglob("*.json")) / 2**20
        print(shards.summary())
        print(
            f"shards: {elapsed:.1f} s wall, {cpu:.1f} s CPU, {elapsed / shards.names * 1000:.2f} "
            f"ms wall per distinct name; {size:.1f} MiB in all, "
            f"{size * 1024 / shards.shards:.0f} KiB a shard on average; "
            f"load average {os.getloadavg()[0]:.2f}"
        )
        print(f"frozen copy, offline: one PBKDF2 per candidate name ({1000 / single:.2f} ms), "
              "which reveals only that name's live name-only answer")  # fmt: skip
        database_engine(app).dispose()
    sys.stdout.flush()


if __name__ == "__main__":
    main()
