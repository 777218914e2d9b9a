"""Debtor import files for tests: valid rows by default, any field overridden, written as CSV or
JSON the way the case system exports them."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import hmac
import json
from pathlib import Path
from typing import Any

from portal.debtors.demo import generate
from portal.debtors.records import FIELDS
from portal.debtors.static_lookup import LOOKUP_DIR, StaticLookupParams, decrypt, derive
from portal.registers.identity import (
    credit_code_check_character,
    organisation_code_check_character,
    resident_id_check_character,
)
from portal.text.names import name_key

TEST_SECRET = "test-secret-key-for-debtor-hashes"


def resident_id(region: str = "310101", birth: str = "19800101", sequence: str = "123") -> str:
    """A valid resident ID number (check character computed)."""
    body = f"{region}{birth}{sequence}"
    return body + resident_id_check_character(body)


def credit_code(region: str = "310115", organisation: str = "MA1FL3XY") -> str:
    """A valid unified social credit code (both check characters computed)."""
    body = f"91{region}{organisation}{organisation_code_check_character(organisation)}"
    return body + credit_code_check_character(body)


def person(record_id: str = "R1", **fields: Any) -> dict[str, Any]:
    """A valid row for a person, published on 2024-03-01."""
    row = {
        "record_id": record_id,
        "name": "张伟",
        "kind": "person",
        "id_number": resident_id(),
        "legal_representative": "",
        "court": "上海市黄浦区人民法院",
        "case_number": "（2023）沪0101执123号",
        "basis_document": "（2022）沪0101民初456号民事判决书",
        "basis_issuer": "上海市黄浦区人民法院",
        "obligations": "支付货款人民币100000元",
        "performance": "unperformed",
        "circumstances": "refuses_despite_ability",
        "published_on": "2024-03-01",
        "listed_until": "",
        "removed_on": "",
        "removal_reason": "",
    }
    row.update(fields)
    return row


def organisation(record_id: str = "O1", **fields: Any) -> dict[str, Any]:
    """A valid row for an organisation."""
    row = person(
        record_id,
        name="上海某某贸易有限公司",
        kind="organisation",
        id_number=credit_code(),
        legal_representative="李强",
    )
    row.update(fields)
    return row


def write_csv(path: Path, rows: list[dict[str, Any]], bom: bool = False) -> Path:
    """Write rows as CSV with the full header."""
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as target:
        writer = csv.DictWriter(target, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_json(path: Path, rows: list[dict[str, Any]]) -> Path:
    """Write rows as a JSON array of objects."""
    path.write_text(json.dumps(rows, ensure_ascii=False), "utf-8")
    return path


def write_lines(path: Path, lines: list[str], encoding: str = "utf-8") -> Path:
    """Write raw CSV lines, for files no csv writer would produce."""
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


TODAY = dt.date(2025, 6, 1)


def large_demo_files(
    folder: Path, count: int, changed: int, today: dt.date = TODAY
) -> tuple[Path, Path, list[dict[str, str]]]:
    """`before.csv`, the first `changed` listed rows of `count` demo rows, and `large.csv`, all
    `count` of them with those rows' obligations changed (import both with demo=True), and
    those rows as the large file holds them."""
    rows = [values for values, _ in generate(count, 1, today)]
    listed = [row for row in rows if not row["removed_on"] and not row["listed_until"]][:changed]
    before = write_csv(folder / "before.csv", listed)
    for row in listed:
        row["obligations"] += "，已履行一部分"
    return before, write_csv(folder / "large.csv", rows), listed


def find_in_files(root: Path, name: str, number: str | None = None) -> list[dict]:
    """What the frozen page does, with only the files and what is typed: the name's listed
    records, newest first. A number changes nothing (it can be confirmed only live)."""
    del number
    lookup = root / LOOKUP_DIR
    manifest = json.loads((lookup / "manifest.json").read_text("utf-8"))
    params = StaticLookupParams(salt=manifest["salt"], iterations=manifest["iterations"])
    material = derive(name_key(name), params)
    records: list[dict] = []
    count = 1
    while len(records) < min(count, manifest["limit"]):
        tag = material.tag(len(records))
        prefix = tag[: manifest["prefix_hex_digits"]]
        shard = json.loads((lookup / "shards" / f"{prefix}.json").read_text("utf-8"))
        if tag not in shard:
            break
        entry = json.loads(decrypt(material.key, shard[tag]))
        count = entry["count"]
        records.append(entry["record"])
    return records


def number_traces(name: str, number: str, salt: str, iterations: int) -> list[bytes]:
    """What a scan looks for: the number and its birth date, and values that public functions of
    the name and number give (plain hashes, and the material of the static check's format 2)."""
    traces = [number.encode(), number[6:14].encode()]
    for algorithm in ("md5", "sha1", "sha256"):
        traces.append(hashlib.new(algorithm, number.encode()).hexdigest().encode())
    secret = f"{name_key(name)}\u0000{number}".encode()
    master = hashlib.pbkdf2_hmac("sha256", secret, salt.encode(), iterations, 32)
    for context in (b"portal lookup tag", b"portal record key"):
        traces.append(hmac.digest(master, context, hashlib.sha256).hex().encode())
    return traces


def files_holding(root: Path, traces: list[bytes]) -> dict[str, list[bytes]]:
    """Each file under `root` (or `root` itself) that holds any of the traces, with those."""
    paths = [root] if root.is_file() else [p for p in root.rglob("*") if p.is_file()]
    found = {}
    for path in paths:
        data = path.read_bytes()
        hits = [trace for trace in traces if trace in data]
        if hits:
            found[str(path)] = hits
    return found
