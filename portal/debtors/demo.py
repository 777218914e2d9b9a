"""Fictional demonstration records: valid in every rule (check characters, adult birth dates,
dates in order) and plainly made up: every name starts with 示例 ("example"), every record id
with DEMO-. Some are removed and some expired, so that the lookup can be tried on both."""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections.abc import Iterator
from pathlib import Path

from portal.debtors.records import FIELDS, Circumstance, Performance
from portal.registers.demo import (
    DEMO_NAME_PREFIX,
    DISTRICTS,
    GIVEN,
    SURNAMES,
    credit_code,
    resident_id,
)
from portal.registers.files import DEMO_PREFIX

TRADE_NAMES = ("恒信", "宏达", "瑞丰", "鑫源", "华盛", "永安", "金桥", "通达", "百川", "东方",
               "长江", "天和", "博远", "锦程", "汇通", "九州")  # fmt: skip
TRADES = ("贸易", "建设工程", "物流", "餐饮管理", "科技", "实业", "装饰工程", "投资咨询", "服饰",
          "食品")  # fmt: skip
REMOVAL_REASONS = ("已全部履行", "与申请执行人达成执行和解协议并已履行完毕", "依法撤销失信决定")
BASIS_DOCUMENTS = ("民事判决书", "民事调解书", "仲裁裁决书", "公证债权文书")
STATES = ("listed", "removed", "expired")


def generate(count: int, seed: int, today: dt.date) -> Iterator[tuple[dict[str, str], str]]:
    """`count` fictional rows as the import file holds them, each with whether it is "listed",
    "removed" or "expired" on `today`. The same count, seed and day give the same rows."""
    rng = random.Random(seed)  # noqa: S311 - reproducible fiction, not a secret
    for index in range(1, count + 1):
        region, district, court_code = rng.choice(DISTRICTS)
        court = f"上海市{district}人民法院"
        state = rng.choices(STATES, weights=(80, 10, 10))[0]
        if state == "expired":
            published = today - dt.timedelta(days=rng.randrange(200, 5 * 365))
            listed_until: dt.date | None = today - dt.timedelta(days=rng.randrange(1, 180))
        else:
            published = today - dt.timedelta(days=rng.randrange(1, 5 * 365))
            listed_until = rng.choice((None, today + dt.timedelta(days=rng.randrange(30, 3 * 365))))
        if rng.random() < 0.75:
            # A person, an adult on the day the record was published.
            latest_birth = published.replace(year=published.year - 19, day=1)
            birth = latest_birth - dt.timedelta(days=rng.randrange(0, 50 * 365))
            given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
            name = DEMO_NAME_PREFIX + rng.choice(SURNAMES) + given
            kind, number, representative = "person", resident_id(rng, region, birth), ""
        else:
            name = f"{DEMO_NAME_PREFIX}上海{rng.choice(TRADE_NAMES)}{rng.choice(TRADES)}有限公司"
            kind, number = "organisation", credit_code(rng, region)
            representative = DEMO_NAME_PREFIX + rng.choice(SURNAMES) + rng.choice(GIVEN)
        removed_on = removal_reason = ""
        if state == "removed":
            removed_on = (published + (today - published) // 2).isoformat()
            removal_reason = rng.choice(REMOVAL_REASONS)
        year = published.year
        circumstances = rng.sample(list(Circumstance), rng.choice((1, 1, 2)))
        values = {
            "record_id": f"{DEMO_PREFIX}{index:08d}",
            "name": name,
            "kind": kind,
            "id_number": number,
            "legal_representative": representative,
            "court": court,
            "case_number": f"（{year}）{court_code}执{rng.randrange(1, 30000)}号",
            "basis_document": f"（{year - 1}）{court_code}民初{rng.randrange(1, 90000)}号"
            + rng.choice(BASIS_DOCUMENTS),
            "basis_issuer": court,
            "obligations": f"示例数据：支付人民币{rng.randrange(2, 500) * 1000}元及利息",
            "performance": rng.choice(list(Performance)).value,
            "circumstances": ";".join(item.value for item in circumstances),
            "published_on": published.isoformat(),
            "listed_until": listed_until.isoformat() if listed_until else "",
            "removed_on": removed_on,
            "removal_reason": removal_reason,
        }
        yield values, state


def write_demo_file(path: Path, count: int, seed: int, today: dt.date) -> tuple[str, str] | None:
    """Write `count` fictional records as CSV; return the name and number of a listed person,
    for trying the lookup (the number is stored nowhere, so this is the only place to find it)."""
    example = None
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as target:
        writer = csv.DictWriter(target, fieldnames=FIELDS)
        writer.writeheader()
        for values, state in generate(count, seed, today):
            writer.writerow(values)
            if example is None and state == "listed" and values["kind"] == "person":
                example = (values["name"], values["id_number"])
    return example
