"""The static debtor check: encrypted shards, keyed by the name alone, written at freeze.

From a listed name, one PBKDF2-HMAC-SHA256 gives a master secret, and from it a record key and
one lookup tag for each of the name's listed records (HMACs). The freeze writes each record's
display fields (those of the live name-only answer, with the same mask), padded to one size and
encrypted under the name's key with AES-GCM, into shards by tag prefix, and fills every shard with
random entries up to the same count. Nothing is derived from a full number, so neither the
frozen copy nor the database lets anyone test a guessed number offline (docs/debtors.md). The
frozen page (static/js/static-lookup.js) derives the same tags and key in the browser from the
name typed, through the one name rule (portal/text/names.py, shipped as names.json).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import itertools
import json
import math
import os
import secrets
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.db.models import DebtorRecord
from portal.debtors.lookup import NAME_ONLY_LIMIT, list_state, listed_on
from portal.text.names import name_rule
from portal.text.times import data_time

FORMAT_VERSION = 3  # 3: keyed by the name alone, one padded entry per record
# A public, site-wide salt: each court should set its own (PORTAL_STATIC_LOOKUP_SALT), so that
# work spent guessing names against one court's files is no use against another's.
DEFAULT_SALT = "enforcement-transparency-portal static debtor lookup"
# 20,000 iterations: about 4.5 ms of one core here for each distinct listed name at the freeze;
# bench/static_lookup.py measures it, docs/debtors.md says what a guess costs.
DEFAULT_ITERATIONS = 20_000
TAG_CONTEXT = b"portal lookup tag"
KEY_CONTEXT = b"portal record key"
NONCE_BYTES = 12
GCM_TAG_BYTES = 16
PAD_BLOCK = 512  # every entry's plaintext is padded to the copy's longest, rounded up to this
MAX_SHARD_ENTRIES = 512  # the prefix is made long enough that shards hold at most about this
LOOKUP_DIR = "static-lookup"
NAME_RULE_FILE = "names.json"


# -- Parameters and derivation --------------------------------------------------------------


@dataclass(frozen=True)
class StaticLookupParams:
    """The site-wide salt and iteration count."""

    salt: str = DEFAULT_SALT
    iterations: int = DEFAULT_ITERATIONS

    def __post_init__(self) -> None:
        if not self.salt:
            raise ValueError("the static lookup salt must not be empty")
        if self.iterations < 1:
            raise ValueError("the static lookup iteration count must be positive")

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> StaticLookupParams:
        """The parameters an app's configuration sets (STATIC_LOOKUP_SALT, _ITERATIONS)."""
        return cls(
            salt=config.get("STATIC_LOOKUP_SALT", DEFAULT_SALT),
            iterations=config.get("STATIC_LOOKUP_ITERATIONS", DEFAULT_ITERATIONS),
        )


@dataclass(frozen=True)
class NameMaterial:
    """What a name key derives: the key of its records' entries and the master for their tags."""

    master: bytes = field(repr=False)

    @property
    def key(self) -> bytes:
        """The AES-256-GCM key of every entry of the name."""
        return hmac.digest(self.master, KEY_CONTEXT, hashlib.sha256)

    def tag(self, index: int) -> str:
        """The lookup tag (hex) of the name's `index`-th record, newest first from 0."""
        message = TAG_CONTEXT + b"\x00" + str(index).encode("ascii")
        return hmac.digest(self.master, message, hashlib.sha256).hex()


def derive(name_key: str, params: StaticLookupParams) -> NameMaterial:
    """The material of a name key (portal.text.names.name_key): one PBKDF2."""
    master = hashlib.pbkdf2_hmac(
        "sha256", name_key.encode(), params.salt.encode(), params.iterations, 32
    )
    return NameMaterial(master=master)


def derive_many(
    keys: Iterable[str], params: StaticLookupParams, executor: Executor
) -> list[NameMaterial]:
    """Derive for many name keys on the executor's workers (PBKDF2 releases the GIL, so threads
    use every core)."""
    return list(executor.map(lambda key: derive(key, params), keys))


def cpu_workers() -> int:
    """How many derivations to run at once: one per core."""
    return os.cpu_count() or 1


# -- Encryption -----------------------------------------------------------------------------


def encrypt(key: bytes, plaintext: bytes) -> str:
    """AES-256-GCM under a fresh random nonce: base64(nonce || ciphertext || tag), as WebCrypto
    decrypts it."""
    nonce = secrets.token_bytes(NONCE_BYTES)
    return base64.b64encode(nonce + AESGCM(key).encrypt(nonce, plaintext, None)).decode("ascii")


def decrypt(key: bytes, blob: str) -> bytes:
    """The inverse of `encrypt` (cryptography's InvalidTag if the key is not the record's)."""
    raw = base64.b64decode(blob)
    return AESGCM(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], None)


def display_fields(record: DebtorRecord) -> dict[str, Any]:
    """What the live name-only lookup shows of a record, and nothing else."""
    return {
        "name": record.name,
        "kind": record.kind,
        "id_display": record.id_display,
        "legal_representative": record.legal_representative,
        "court": record.court,
        "case_number": record.case_number,
        "basis_document": record.basis_document,
        "basis_issuer": record.basis_issuer,
        "obligations": record.obligations,
        "performance": record.performance,
        "circumstances": list(record.circumstances),
        "published_on": record.published_on.isoformat(),
        "listed_until": record.listed_until.isoformat() if record.listed_until else None,
        "demo": record.demo,
    }


def entry_plaintext(record: DebtorRecord, index: int, count: int) -> bytes:
    """An entry before padding: the record, its place among the name's listed records (newest
    first) and how many the name has."""
    value = {"index": index, "count": count, "record": display_fields(record)}
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def pad(plaintext: bytes, size: int) -> bytes:
    """The plaintext followed by spaces up to `size` bytes (JSON ignores them)."""
    if len(plaintext) > size:
        raise ValueError("the entry is longer than the padded size")
    return plaintext + b" " * (size - len(plaintext))


# -- Shards ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShardReport:
    """What `write_shards` wrote (`stale` stays for the freeze's report: it is always 0, as
    nothing needs deriving at import any more)."""

    records: int
    stale: int
    shards: int
    prefix_hex_digits: int
    names: int = 0
    entry_bytes: int = 0

    def summary(self) -> str:
        """One line for the CLI."""
        return (
            f"static debtor check: {self.records} listed records of {self.names} names in "
            f"{self.shards} shards (tag prefix of {self.prefix_hex_digits} hex digits, "
            f"entries of {self.entry_bytes} bytes)"
        )


def prefix_digits(count: int) -> int:
    """The shortest tag prefix (at least one hex digit) that keeps shards to about
    MAX_SHARD_ENTRIES entries each."""
    return max(1, math.ceil(math.log(max(count, 1) / MAX_SHARD_ENTRIES, 16)))


def _names(session: Session, today: dt.date) -> Iterator[tuple[str, list[DebtorRecord]]]:
    """Each listed name key with its listed records, newest first (the live order), at most
    NAME_ONLY_LIMIT + 1 of them (the live answer's limit, and one to tell it was reached)."""
    listed = (
        select(DebtorRecord)
        .where(listed_on(today))
        .order_by(DebtorRecord.name_key, DebtorRecord.published_on.desc(), DebtorRecord.record_id)
        .execution_options(yield_per=2000)
    )
    for key, group in itertools.groupby(session.scalars(listed), lambda r: r.name_key):
        yield key, list(itertools.islice(group, NAME_ONLY_LIMIT + 1))


def write_shards(
    session: Session,
    out_dir: Path,
    today: dt.date,
    params: StaticLookupParams,
) -> ShardReport:
    """Write OUT/static-lookup/: manifest.json, names.json and shards/<prefix>.json holding every
    record listed on `today`, one padded entry each, under tags derived from its name."""
    root = out_dir / LOOKUP_DIR
    shard_dir = root / "shards"
    shard_dir.mkdir(parents=True, exist_ok=True)
    # Plaintexts first (the records of one copy fit in memory, as the shards do), so that every
    # entry can be padded to the longest.
    pending: list[tuple[str, list[bytes]]] = []
    for key, records in _names(session, today):
        count = len(records)  # NAME_ONLY_LIMIT + 1 means "more than the limit"
        shown = records[:NAME_ONLY_LIMIT]
        pending.append((key, [entry_plaintext(record, i, count) for i, record in enumerate(shown)]))
    longest = max((len(p) for _, plains in pending for p in plains), default=1)
    size = math.ceil(longest / PAD_BLOCK) * PAD_BLOCK
    entries = sum(len(plains) for _, plains in pending)
    digits = prefix_digits(entries)
    shards: dict[str, dict[str, str]] = {f"{p:0{digits}x}": {} for p in range(16**digits)}
    with ThreadPoolExecutor(cpu_workers(), thread_name_prefix="derive") as executor:
        materials = derive_many((key for key, _ in pending), params, executor)
    for (_, plains), material in zip(pending, materials, strict=True):
        record_key = material.key
        for index, plaintext in enumerate(plains):
            tag = material.tag(index)
            shards[tag[:digits]][tag] = encrypt(record_key, pad(plaintext, size))
    _fill_with_random_entries(shards, size)
    for old in shard_dir.glob("*.json"):
        if old.stem not in shards:
            old.unlink()  # from an earlier freeze with another prefix length
    for prefix, shard in shards.items():
        _write_json(shard_dir / f"{prefix}.json", shard)
    state = list_state(session)
    _write_json(
        root / "manifest.json",
        {
            "version": FORMAT_VERSION,
            "salt": params.salt,
            "iterations": params.iterations,
            "prefix_hex_digits": digits,
            "limit": NAME_ONLY_LIMIT,
            "as_of": data_time(state.as_of) if state else None,
            "demo": bool(state and state.demo),
        },
    )
    _write_text(root / NAME_RULE_FILE, name_rule().to_json())
    (root / "t2s.json").unlink(missing_ok=True)  # the character table of format version 1
    return ShardReport(
        records=entries,
        stale=0,
        shards=len(shards),
        prefix_hex_digits=digits,
        names=len(pending),
        entry_bytes=NONCE_BYTES + size + GCM_TAG_BYTES,
    )


def _fill_with_random_entries(shards: dict[str, dict[str, str]], size: int) -> None:
    """Random tags and bytes, as long as real entries, until every shard holds as many entries
    as the fullest: a shard's count then tells nothing but the total."""
    target = max(len(shard) for shard in shards.values())
    for prefix, shard in shards.items():
        while len(shard) < target:
            tag = prefix + secrets.token_hex(32)[len(prefix) :]
            raw = secrets.token_bytes(NONCE_BYTES + size + GCM_TAG_BYTES)
            shard[tag] = base64.b64encode(raw).decode("ascii")


def _write_json(path: Path, value: Any) -> None:
    _write_text(path, json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True))


def _write_text(path: Path, text: str) -> None:
    """Write `path`; an error (a full disk fails the write, not the open) names the file."""
    try:
        path.write_text(text, "utf-8")
    except OSError as error:
        raise OSError(error.errno, error.strerror, str(path)) from error
