"""Fictional victims of the demonstration case (demo-2026-01): valid in every rule and plainly
made up (every name starts with 示例, every record id with DEMO-V). Every status occurs, and
confirmed victims are paid in the case's batches, some payments failing."""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from portal.registers.demo import (
    DEMO_NAME_PREFIX,
    DISTRICTS,
    GIVEN,
    SURNAMES,
    credit_code,
    resident_id,
)
from portal.registers.files import DEMO_PREFIX
from portal.victims.records import FIELDS, PART_SEPARATOR, PAYMENT_SEPARATOR, Failure, Status

DEMO_CASE_KEY = "demo-2026-01"
REGISTRATION_OPENS = dt.date(2026, 3, 9)
REGISTRATION_DAYS = 60
# The demonstration case's batches: (batch, day, share of the confirmed amount paid).
BATCHES = ((1, dt.date(2026, 6, 15), 0.1542), (2, dt.date(2026, 11, 20), 0.0301))
SUPPLEMENTARY_DAY = dt.date(2026, 9, 30)  # failed batch-1 payments paid again
STATUS_WEIGHTS = {
    Status.REGISTERED: 8, Status.UNDER_CHECK: 12, Status.CONFIRMED: 68, Status.DISPUTED: 8,
    Status.REJECTED: 4,
}  # fmt: skip
FAILURE_RATE = 0.05
TRADES = ("投资咨询", "贸易", "科技", "实业")


def _yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


def _payments(rng: random.Random, confirmed: int, today: dt.date) -> list[str]:
    items = []
    for batch, day, share in BATCHES:
        if day > today:
            continue
        amount = _yuan(int(confirmed * share))
        parts = [str(batch), day.isoformat(), amount]
        if rng.random() < FAILURE_RATE:
            parts += ["", rng.choice(list(Failure)).value]
            if batch == 1 and today >= SUPPLEMENTARY_DAY and rng.random() < 0.6:
                items.append(PART_SEPARATOR.join(parts))
                parts = ["1", SUPPLEMENTARY_DAY.isoformat(), amount, "S"]
        items.append(PART_SEPARATOR.join(parts))
    return items


def generate(count: int, seed: int, today: dt.date) -> Iterator[dict[str, Any]]:
    """`count` fictional rows as the import file holds them (payments in the CSV form). The
    same count, seed and day give the same rows."""
    rng = random.Random(seed)  # noqa: S311 - reproducible fiction, not a secret
    statuses, weights = list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values())
    used: set[str] = set()
    for index in range(1, count + 1):
        region = rng.choice(DISTRICTS)[0]
        registered = min(today, REGISTRATION_OPENS + dt.timedelta(rng.randrange(REGISTRATION_DAYS)))
        if rng.random() < 0.92:
            given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
            name = DEMO_NAME_PREFIX + rng.choice(SURNAMES) + given
            number = ""
            while not number or number in used:  # one registration a person (the import's rule)
                birth = dt.date(1940, 1, 1) + dt.timedelta(days=rng.randrange(0, 60 * 365))
                number = resident_id(rng, region, birth)
            used.add(number)
            kind = "person"
        else:
            name = f"{DEMO_NAME_PREFIX}上海{rng.choice(SURNAMES)}氏{rng.choice(TRADES)}有限公司"
            kind, number = "organisation", credit_code(rng, region)
        claimed = rng.randrange(1_000_000, 200_000_000)  # fen: 10,000 to 2 million yuan
        status = rng.choices(statuses, weights)[0]
        confirmed = int(claimed * rng.uniform(0.8, 1.0)) if status is Status.CONFIRMED else None
        payments = _payments(rng, confirmed, today) if confirmed is not None else []
        yield {
            "record_id": f"{DEMO_PREFIX}V{index:08d}",
            "case_key": DEMO_CASE_KEY,
            "name": name,
            "kind": kind,
            "id_number": number,
            "registered_on": registered.isoformat(),
            "claimed_amount": _yuan(claimed),
            "confirmed_amount": _yuan(confirmed) if confirmed is not None else "",
            "status": status.value,
            "payments": PAYMENT_SEPARATOR.join(payments),
        }


def write_demo_file(
    path: Path, count: int, seed: int, today: dt.date
) -> tuple[str, str, str] | None:
    """Write `count` fictional victims as CSV; return the name, number and case key of a
    person to try the status check with (best: confirmed, paid, with a failed payment), since
    the number is stored nowhere else."""
    best = fallback = None
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as target:
        writer = csv.DictWriter(target, fieldnames=FIELDS)
        writer.writeheader()
        for row in generate(count, seed, today):
            writer.writerow(row)
            if row["kind"] != "person" or row["status"] != Status.CONFIRMED:
                continue
            example = (row["name"], row["id_number"], row["case_key"])
            fallback = fallback or example
            failed = any(failure.value in row["payments"] for failure in Failure)
            if best is None and failed and "|S" not in row["payments"]:
                best = example
    return best or fallback
