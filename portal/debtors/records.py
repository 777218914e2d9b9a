"""The debtor list's import file: its columns and the rules of each row (the reading of CSV and
JSON and the field readers are portal/registers/files.py's, shared with the victims' register).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from enum import StrEnum
from typing import Any, NamedTuple

from portal.registers.files import (
    FileFormat,
    RowProblem,
    RowReport,
    blank,
    date,
    enum,
    identity,
    members_by_value,
    name_and_key,
    shape_problems,
    text,
)
from portal.registers.files import record_id as read_record_id
from portal.registers.identity import ADULT_AGE, IdentityKeys, Kind, age_on


class Performance(StrEnum):
    UNPERFORMED = "unperformed"
    PARTIALLY_PERFORMED = "partially_performed"


class Circumstance(StrEnum):
    """The six statutory circumstances of dishonesty (SPC provisions on the list, article 1)."""

    REFUSES_DESPITE_ABILITY = "refuses_despite_ability"
    OBSTRUCTS_ENFORCEMENT = "obstructs_enforcement"
    EVADES_ENFORCEMENT = "evades_enforcement"
    VIOLATES_PROPERTY_REPORTING = "violates_property_reporting"
    VIOLATES_CONSUMPTION_RESTRICTION = "violates_consumption_restriction"
    BREACHES_SETTLEMENT = "breaches_settlement"


CIRCUMSTANCES_BY_VALUE = members_by_value(Circumstance)

# What each kind, circumstance and performance status is called, in both languages: the lookup
# page and the register's statistics show these names.
KIND_NAMES = {
    "person": {"en": "Person", "zh": "自然人"},
    "organisation": {"en": "Organisation", "zh": "法人或其他组织"},
}
CIRCUMSTANCE_NAMES = {
    "refuses_despite_ability": {
        "en": "Able to perform the obligations but refuses to",
        "zh": "有履行能力而拒不履行生效法律文书确定义务",
    },
    "obstructs_enforcement": {
        "en": "Obstructs or resists enforcement by false evidence, violence, threats or similar "
        "means",
        "zh": "以伪造证据、暴力、威胁等方法妨碍、抗拒执行",
    },
    "evades_enforcement": {
        "en": "Evades enforcement by false litigation or arbitration, or by hiding or "
        "transferring property",
        "zh": "以虚假诉讼、虚假仲裁或者以隐匿、转移财产等方法规避执行",
    },
    "violates_property_reporting": {
        "en": "Violates the duty to report property",
        "zh": "违反财产报告制度",
    },
    "violates_consumption_restriction": {
        "en": "Violates a consumption restriction order",
        "zh": "违反限制消费令",
    },
    "breaches_settlement": {
        "en": "Refuses without good reason to perform an enforcement settlement agreement",
        "zh": "无正当理由拒不履行执行和解协议",
    },
}
PERFORMANCE_NAMES = {
    "unperformed": {"en": "Not performed at all", "zh": "全部未履行"},
    "partially_performed": {"en": "Partially performed", "zh": "部分未履行"},
}

FIELDS = (
    "record_id", "name", "kind", "id_number", "legal_representative", "court", "case_number",
    "basis_document", "basis_issuer", "obligations", "performance", "circumstances",
    "published_on", "listed_until", "removed_on", "removal_reason",
)  # fmt: skip
OPTIONAL_FIELDS = frozenset(
    {"legal_representative", "listed_until", "removed_on", "removal_reason"}
)
# The longest text each field may hold; the columns are sized to match.
MAX_LENGTHS = {
    "record_id": 64, "name": 200, "legal_representative": 200, "court": 200, "case_number": 100,
    "basis_document": 200, "basis_issuer": 200, "obligations": 4000, "removal_reason": 1000,
}  # fmt: skip
DEBTOR_FORMAT = FileFormat(FIELDS, OPTIONAL_FIELDS, MAX_LENGTHS)
CIRCUMSTANCE_SEPARATOR = ";"
# JSON keeps the values of a row hash apart unambiguously, and its encoder is written in C.
_ROW_HASH_ENCODER = json.JSONEncoder(ensure_ascii=False, default=str)


class DebtorRow(NamedTuple):
    """A validated record, as it is stored: the person's number only masked and hashed. A named
    tuple: made for every row of a file, a frozen dataclass cost a sixth of the validating."""

    record_id: str
    name: str
    name_key: str
    kind: Kind
    id_display: str
    id_hash: str
    legal_representative: str | None
    court: str
    case_number: str
    basis_document: str
    basis_issuer: str
    obligations: str
    performance: Performance
    circumstances: tuple[Circumstance, ...]
    published_on: dt.date
    listed_until: dt.date | None
    removed_on: dt.date | None
    removal_reason: str | None
    demo: bool

    @property
    def row_hash(self) -> str:
        """A hash of what is stored, to tell a changed row from an unchanged one."""
        values = (
            self.record_id, self.name, self.kind, self.id_display, self.id_hash,
            self.legal_representative, self.court, self.case_number, self.basis_document,
            self.basis_issuer, self.obligations, self.performance,
            CIRCUMSTANCE_SEPARATOR.join(self.circumstances), str(self.published_on),
            _optional_str(self.listed_until), _optional_str(self.removed_on),
            self.removal_reason, self.demo,
        )  # fmt: skip
        # Dates as text here rather than through `default`: the same JSON, in half the time.
        return hashlib.sha256(_ROW_HASH_ENCODER.encode(values).encode()).hexdigest()


def _optional_str(value: dt.date | None) -> str | None:
    return None if value is None else str(value)


def _circumstances(raw: dict[str, Any], report: RowReport) -> tuple[Circumstance, ...] | None:
    value = raw.get("circumstances")
    if isinstance(value, str):
        parsed = _circumstances_in_text(value)
    elif isinstance(value, list) and all(isinstance(item, str) for item in value):
        parsed = _named_circumstances(tuple(value))
    elif value is None:
        parsed = _named_circumstances(())
    else:
        report.add("circumstances", "must be a list of circumstances")
        return None
    if isinstance(parsed, str):
        report.add("circumstances", parsed)
        return None
    return parsed


@functools.lru_cache(maxsize=1024)
def _circumstances_in_text(text: str) -> tuple[Circumstance, ...] | str:
    # A list repeats a few dozen combinations of the six circumstances: each is read once.
    return _named_circumstances(tuple(text.split(CIRCUMSTANCE_SEPARATOR)))


def _named_circumstances(items: tuple[str, ...]) -> tuple[Circumstance, ...] | str:
    """The circumstances the items name, or what is wrong with them."""
    keys = [item.strip() for item in items if item.strip()]
    if not keys:
        return "is required: at least one of the six statutory kinds"
    result = []
    for key in keys:
        circumstance = CIRCUMSTANCES_BY_VALUE.get(key)
        if circumstance is None:
            choices = ", ".join(member.value for member in Circumstance)
            return f"{key!r} is not one of {choices}"
        if circumstance in result:
            return f"names {key!r} twice"
        result.append(circumstance)
    return tuple(result)


def parse_row(
    row: int,
    raw: dict[str, Any],
    keys: IdentityKeys,
    problems: list[RowProblem],
    *,
    demo: bool = False,
) -> DebtorRow | None:
    """Validate one raw row; return the record to store, or None after adding its problems."""
    report = RowReport(row, problems, DEBTOR_FORMAT)
    if shape_problems(raw, report):
        return None
    record_id = read_record_id(raw, report, demo)
    name, name_key = name_and_key(raw, report)
    kind = enum(raw, "kind", Kind, report)
    legal_representative = text(raw, "legal_representative", report)
    published_on = date(raw, "published_on", report)
    id_display, id_hash, birth = identity(raw, kind, keys, report)
    if birth and published_on and age_on(birth, published_on) < ADULT_AGE:
        report.add("id_number", "belongs to a minor on published_on: minors are never listed")
        id_display = id_hash = None
    if kind is Kind.ORGANISATION and blank(raw, "legal_representative"):
        report.add("legal_representative", "is required for an organisation")
    if kind is Kind.PERSON and legal_representative:
        report.add("legal_representative", "must be empty for a person")

    court = text(raw, "court", report)
    case_number = text(raw, "case_number", report)
    basis_document = text(raw, "basis_document", report)
    basis_issuer = text(raw, "basis_issuer", report)
    obligations = text(raw, "obligations", report)
    performance = enum(raw, "performance", Performance, report)
    circumstances = _circumstances(raw, report)
    listed_until = date(raw, "listed_until", report)
    removed_on = date(raw, "removed_on", report)
    removal_reason = text(raw, "removal_reason", report)
    if published_on and listed_until and listed_until < published_on:
        report.add("listed_until", "is before published_on")
    if published_on and removed_on and removed_on < published_on:
        report.add("removed_on", "is before published_on")
    if removed_on and blank(raw, "removal_reason"):
        report.add("removal_reason", "is required when removed_on is given")
    if removal_reason and blank(raw, "removed_on"):
        report.add("removed_on", "is required when removal_reason is given")

    if report.count:
        return None
    return DebtorRow(
        record_id=record_id,
        name=name,
        name_key=name_key,
        kind=kind,
        id_display=id_display or "",
        id_hash=id_hash or "",
        legal_representative=legal_representative,
        court=court or "",
        case_number=case_number or "",
        basis_document=basis_document or "",
        basis_issuer=basis_issuer or "",
        obligations=obligations or "",
        performance=performance,
        circumstances=circumstances,
        published_on=published_on,
        listed_until=listed_until,
        removed_on=removed_on,
        removal_reason=removal_reason,
        demo=demo,
    )
