"""The static debtor check: lookup material derived at import, encrypted shards written at freeze.

From a record's name and full number, one PBKDF2-HMAC-SHA256 gives a master secret, and from it
a lookup tag and a record key (two HMACs). The import, which alone sees the full number, stores
both; the freeze writes each listed record's display fields, encrypted under its record key with
AES-GCM, into shards by tag prefix. The frozen page (static/js/static-lookup.js) derives the
same tag and key in the browser from what the user types: the name through the one name rule
(portal/text/names.py, shipped as names.json), the number through `static_number_key`, which
the script implements character for character.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
import hmac
import json
import math
import os
import secrets
import unicodedata
from collections.abc import Iterable, Mapping
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.db.models import DebtorRecord
from portal.debtors.lookup import list_state, listed_on
from portal.text.names import name_key, name_rule

FORMAT_VERSION = 2  # 2: names keyed by portal.text.names (full case folding)
# A public, site-wide salt: each court should set its own (PORTAL_STATIC_LOOKUP_SALT), so that
# work spent guessing against one court's files is no use against another's.
DEFAULT_SALT = "enforcement-transparency-portal static debtor lookup"
# 20,000 iterations: about 4.5 ms of one core here, so 100,000 records take about 4 minutes on
# the two cores (7.5 on one); docs/debtors.md says what each guess costs.
DEFAULT_ITERATIONS = 20_000
TAG_CONTEXT = b"portal lookup tag"
KEY_CONTEXT = b"portal record key"
NONCE_BYTES = 12
MAX_SHARD_RECORDS = 512  # the prefix is made long enough that shards hold at most about this
LOOKUP_DIR = "static-lookup"
# What the number key removes besides the format characters and separators of Unicode
# (categories Cf, Zs, Zl, Zp): the control characters that are white space in both languages.
REMOVED_CONTROLS = frozenset("\t\n\v\f\r\x85")
REMOVED_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cf"})
NAME_RULE_FILE = "names.json"


# -- Normalisation, the same in Python and JavaScript ---------------------------------------


def _strip_separators(text: str) -> str:
    return "".join(
        ch
        for ch in text
        if ch not in REMOVED_CONTROLS and unicodedata.category(ch) not in REMOVED_CATEGORIES
    )


def static_number_key(number: str) -> str:
    """A number as the static lookup derives from it: NFKC, separators and hyphens removed,
    upper case."""
    return _strip_separators(unicodedata.normalize("NFKC", number)).replace("-", "").upper()


# -- Parameters and derivation --------------------------------------------------------------


@dataclass(frozen=True)
class StaticLookupParams:
    """The site-wide salt and iteration count, and the id that tells stored material apart."""

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

    @functools.cached_property
    def params_id(self) -> str:
        """A short hash of everything the derivation depends on: the format version, the salt,
        the iteration count and the name rule (a new rule makes the stored material stale rather
        than silently wrong)."""
        material = json.dumps([FORMAT_VERSION, self.salt, self.iterations, name_rule().digest])
        return hashlib.sha256(material.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class LookupMaterial:
    """A record's lookup tag and record key, and the parameters that derived them."""

    tag: str  # hex
    key: bytes = field(repr=False)
    params_id: str


def derive(name: str, number: str, params: StaticLookupParams) -> LookupMaterial:
    """The tag and key of a name and a full number: one PBKDF2, then an HMAC for each."""
    secret = f"{name_key(name)}\u0000{static_number_key(number)}".encode()
    master = hashlib.pbkdf2_hmac("sha256", secret, params.salt.encode(), params.iterations, 32)
    return LookupMaterial(
        tag=hmac.digest(master, TAG_CONTEXT, hashlib.sha256).hex(),
        key=hmac.digest(master, KEY_CONTEXT, hashlib.sha256),
        params_id=params.params_id,
    )


def derive_many(
    pairs: Iterable[tuple[str, str]], params: StaticLookupParams, executor: Executor
) -> list[LookupMaterial]:
    """Derive for many (name, number) pairs on the executor's workers (PBKDF2 releases the GIL,
    so threads use every core)."""
    params.params_id  # noqa: B018 - computed once here, not in every worker
    return list(executor.map(lambda pair: derive(pair[0], pair[1], params), pairs))


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
    """What the live lookup shows of a record, and nothing else: the encrypted plaintext."""
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
        "demo": record.demo,
    }


# -- Shards ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShardReport:
    """What `write_shards` wrote, and how many listed records it had to leave out."""

    records: int
    stale: int
    shards: int
    prefix_hex_digits: int

    def summary(self) -> str:
        """One line (two when records were left out) for the CLI."""
        line = (
            f"static debtor check: {self.records} listed records in {self.shards} shards "
            f"(tag prefix of {self.prefix_hex_digits} hex digits)"
        )
        if self.stale:
            line += (
                f"\n  {self.stale} listed records have no lookup material under the current "
                "salt and iteration count and are NOT in the static check: re-import their "
                "source file (portal import-debtors FILE) and freeze again"
            )
        return line


def prefix_digits(count: int) -> int:
    """The shortest tag prefix (at least one hex digit) that keeps shards to about
    MAX_SHARD_RECORDS records each."""
    return max(1, math.ceil(math.log(max(count, 1) / MAX_SHARD_RECORDS, 16)))


def write_shards(
    session: Session,
    out_dir: Path,
    today: dt.date,
    params: StaticLookupParams,
) -> ShardReport:
    """Write OUT/static-lookup/: manifest.json, names.json and shards/<prefix>.json holding every
    record listed on `today` whose material was derived under `params` (the site's settings)."""
    root = out_dir / LOOKUP_DIR
    shard_dir = root / "shards"
    shard_dir.mkdir(parents=True, exist_ok=True)
    listed = select(DebtorRecord).where(listed_on(today)).order_by(DebtorRecord.id)
    current = listed.where(DebtorRecord.static_params == params.params_id)
    count = session.scalar(select(func.count()).select_from(listed.subquery())) or 0
    usable = session.scalar(select(func.count()).select_from(current.subquery())) or 0
    digits = prefix_digits(usable)
    shards: dict[str, dict[str, list[str]]] = {
        f"{prefix:0{digits}x}": {} for prefix in range(16**digits)
    }
    for record in session.scalars(current.execution_options(yield_per=2000)):
        plaintext = json.dumps(display_fields(record), ensure_ascii=False).encode()
        blob = encrypt(bytes.fromhex(record.static_key), plaintext)
        shards[record.static_tag[:digits]].setdefault(record.static_tag, []).append(blob)
    for old in shard_dir.glob("*.json"):
        if old.stem not in shards:
            old.unlink()  # from an earlier freeze with another prefix length
    for prefix, entries in shards.items():
        _write_json(shard_dir / f"{prefix}.json", dict(sorted(entries.items())))
    state = list_state(session)
    _write_json(
        root / "manifest.json",
        {
            "version": FORMAT_VERSION,
            "salt": params.salt,
            "iterations": params.iterations,
            "prefix_hex_digits": digits,
            "records": usable,
            "as_of": state.as_of.isoformat() if state else None,
            "demo": bool(state and state.demo),
        },
    )
    (root / NAME_RULE_FILE).write_text(name_rule().to_json(), "utf-8")
    (root / "t2s.json").unlink(missing_ok=True)  # the character table of format version 1
    return ShardReport(
        records=usable, stale=count - usable, shards=len(shards), prefix_hex_digits=digits
    )


def _write_json(path: Path, value: Any) -> None:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    path.write_text(text, "utf-8")
