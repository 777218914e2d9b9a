"""Benchmark of removal during an import: import N generated records (rows/s) into a register
that already holds a few of them, and meanwhile delist those one by one, printing how long each
delisting took from the call to its commit and what the import was doing then (validating and
staging, or holding its write). Every delisted record must still be delisted after the import.

    .venv/bin/python bench/debtor_removal.py                       # 1,000,000 rows, SQLite
    .venv/bin/python bench/debtor_removal.py --count 200000 \\
        --database-url 'postgresql://postgres@127.0.0.1:5432/test?options=-csearch_path%3Dbench'

A PostgreSQL URL must point at an empty schema (it is migrated, then left as it is).
Figures, not a test: nothing here passes or fails.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import tempfile
import threading
import time
from pathlib import Path

from portal.db.engine import make_engine, make_session_factory, upgrade_schema
from portal.debtors.demo import generate
from portal.debtors.importer import delist, import_debtors
from portal.debtors.lookup import court_today, lookup
from portal.debtors.records import FIELDS
from portal.registers.identity import IdentityKeys
from portal.registers.importer import ImportStage
from portal.registers.query import parse_query

SECRET = "benchmark-secret-key"


def write_files(work: Path, count: int, targets: int, today: dt.date) -> tuple[Path, Path, list]:
    """The large file, streamed, and a file of its first `targets` listed rows as they were
    before it changed them (their obligations), to import first; and those rows."""
    large, before = work / "large.csv", work / "before.csv"
    kept: list[dict[str, str]] = []
    with large.open("w", encoding="utf-8", newline="") as target:
        writer = csv.DictWriter(target, fieldnames=FIELDS)
        writer.writeheader()
        for values, state in generate(count, 1, today):
            if state == "listed" and not values["listed_until"] and len(kept) < targets:
                kept.append(dict(values))
                values["obligations"] += "，已履行一部分"
            writer.writerow(values)
    with before.open("w", encoding="utf-8", newline="") as target:
        writer = csv.DictWriter(target, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows(kept)
    return before, large, kept


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--samples", type=int, default=12, help="delistings during the import")
    parser.add_argument("--interval", type=float, default=3.0, help="seconds between them")
    parser.add_argument("--database-url", default=None, help="default: SQLite in the work folder")
    parser.add_argument("--dir", type=Path, default=None, help="work folder (default: a temp one)")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()}")

    with tempfile.TemporaryDirectory(dir=args.dir) as folder:
        work = Path(folder)
        today = court_today()
        start = time.perf_counter()
        before, large, targets = write_files(work, args.count, args.samples + 1, today)
        print(f"generated {args.count:,} records in {time.perf_counter() - start:.1f} s")
        engine = make_engine(args.database_url or f"sqlite:///{work / 'bench.sqlite3'}")
        upgrade_schema(engine)
        factory = make_session_factory(engine)
        keys = IdentityKeys.from_secret(SECRET)
        import_debtors(factory, before, keys, demo=True)
        print(f"{engine.dialect.name}: the register holds {len(targets)} of the file's records")

        stage = {"now": "validating"}
        writing = threading.Event()

        moments: dict[ImportStage, float] = {}

        def on_stage(reached: ImportStage) -> None:
            moments[reached] = time.perf_counter() - started
            if reached is ImportStage.WRITING:
                stage["now"] = "holding its write"
                writing.set()

        samples: list[tuple[float, str, float]] = []
        delisted: list[dict[str, str]] = []
        started = time.perf_counter()

        def delist_each() -> None:
            # One target is kept for the moment the import takes its write lock, the worst case.
            for target in targets[:-1]:
                if writing.wait(args.interval):
                    break
                samples.append(timed_delist(target, stage["now"]))
            writing.wait()
            samples.append(timed_delist(targets[-1], stage["now"]))

        def timed_delist(target: dict[str, str], during: str) -> tuple[float, str, float]:
            called = time.perf_counter()
            delist(factory, target["record_id"], "benchmark", today=today)
            delisted.append(target)
            return called - started, during, time.perf_counter() - called

        sampler = threading.Thread(target=delist_each)
        sampler.start()
        cpu = time.process_time()
        report = import_debtors(factory, large, keys, demo=True, on_stage=on_stage)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        sampler.join()

        print(f"import: {report.summary()}")
        print(f"import: {args.count / elapsed:,.0f} rows/s ({elapsed:.1f} s wall, {cpu:.1f} s CPU "
              "in the importing process)")  # fmt: skip
        begun, written = moments[ImportStage.WRITING], moments[ImportStage.WRITTEN]
        print(f"the write: {elapsed - begun:.1f} s from its lock to its commit "
              f"({written - begun:.1f} s applying the difference, {elapsed - written:.1f} s "
              "committing); before it, validating and staging "
              f"{begun:.1f} s")  # fmt: skip
        for at, during, latency in samples:
            print(f"delist at {at:6.1f} s, the import {during}: {latency:.3f} s to commit")
        latencies = [latency for *_, latency in samples]
        print(f"delisting: {len(latencies)} samples, max {max(latencies):.3f} s")
        with factory() as session:
            for target in delisted:
                query = parse_query(target["name"], target["id_number"])
                assert not lookup(session, keys, query, today).records, "re-listed"
        print(f"all {len(samples)} delisted records still delisted after the import")
        print(f"load average after: {os.getloadavg()}")
        engine.dispose()


if __name__ == "__main__":
    main()
