"""Debtor import files for tests: valid rows by default, any field overridden, written as CSV or
JSON the way the case system exports them."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path
from typing import Any

from portal.debtors.identity import (
    credit_code_check_character,
    organisation_code_check_character,
    resident_id_check_character,
)
from portal.debtors.records import FIELDS
from portal.debtors.static_lookup import LOOKUP_DIR, StaticLookupParams, decrypt, derive

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


def find_in_files(root: Path, name: str, number: str) -> list[dict]:
    """What the frozen page does, with only the files, a name and a number."""
    manifest = json.loads((root / LOOKUP_DIR / "manifest.json").read_text("utf-8"))
    params = StaticLookupParams(salt=manifest["salt"], iterations=manifest["iterations"])
    material = derive(name, number, params)
    prefix = material.tag[: manifest["prefix_hex_digits"]]
    shard = json.loads((root / LOOKUP_DIR / "shards" / f"{prefix}.json").read_text("utf-8"))
    return [json.loads(decrypt(material.key, blob)) for blob in shard.get(material.tag, [])]
