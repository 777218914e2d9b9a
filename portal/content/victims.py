"""Victim registration notices of criminal cases involving the public (fund-raising crimes).

`content/victims/<case-key>.<lang>.md` is the court's notice for one case: who may register, the
window and channel, the materials, the anti-fraud notice and the payout rules, with the case's
public payout aggregates in its front matter. Registration itself stays with the court's channel.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from portal.content.files import (
    PUBLICATION_FIELDS,
    FileReport,
    Invalid,
    Schema,
    date_value,
    describe,
    flag_value,
    read_content_file,
    rendered_fields,
    text_value,
    validate_fields,
)

VICTIMS_FILE = re.compile(r"^victims/(?P<key>[^/.]+)\.(?P<lang>[^/.]+)\.md$")
# No payout figure is published over fewer people than this: it could point at one person.
MIN_PEOPLE = 10
# Keys a notice cannot take: the victims' pages' own URLs (/<lang>/victims/status/).
RESERVED_NOTICE_KEYS = frozenset({"status"})
AMOUNT = re.compile(r"^\d{1,15}(?:\.\d{1,2})?$")


def amount_value(value: Any) -> Decimal:
    """An amount of yuan written as decimal text ('117384476.57'), never a YAML float."""
    if not isinstance(value, str) or not AMOUNT.match(value.strip()):
        raise Invalid(
            "expected an amount in yuan as quoted text such as '117384476.57', "
            f"got {describe(value)}"
        )
    return Decimal(value.strip())


def people_value(value: Any) -> int:
    """A number of people, never fewer than MIN_PEOPLE."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise Invalid(f"expected a whole number of people, got {describe(value)}")
    if value < MIN_PEOPLE:
        raise Invalid(f"is {value}: no figure is published over fewer than {MIN_PEOPLE} people")
    return value


def text_list_value(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise Invalid(f"expected a list of one or more texts, got {describe(value)}")
    return tuple(text_value(item) for item in value)


@dataclass(frozen=True)
class Payment:
    """One batch (or supplementary round) of payment: its date, the people paid and the amount."""

    date: dt.date
    people: int
    amount: Decimal


@dataclass(frozen=True)
class Payout:
    """A case's public payout aggregates; `ratio_percent` is recovered ÷ confirmed claims."""

    registered_people: int
    confirmed_total: Decimal
    recovered: Decimal
    batches: tuple[Payment, ...] = ()
    supplementary: tuple[Payment, ...] = ()

    @property
    def ratio_percent(self) -> Decimal:
        """The return ratio as a percentage to five decimals (18.42915)."""
        ratio = self.recovered * 100 / self.confirmed_total
        return ratio.quantize(Decimal("0.00001"), rounding=ROUND_HALF_UP)

    @property
    def paid_people(self) -> int:
        return sum(payment.people for payment in self.batches + self.supplementary)

    @property
    def paid_amount(self) -> Decimal:
        return sum((payment.amount for payment in self.batches + self.supplementary), Decimal(0))


@dataclass(frozen=True)
class VictimNoticeFile:
    """One language version of a case's registration notice, validated and rendered."""

    key: str
    lang: str
    title: str
    date: dt.date
    summary: str
    court: str
    case_number: str
    crime: str
    opens: dt.date
    closes: dt.date
    channel: str
    who_may_register: str
    materials: tuple[str, ...]
    anti_fraud: str
    payout_rules: str
    body_html: str
    source_path: str
    source_hash: str
    payout: Payout | None = None
    demonstration: bool = False
    draft: bool = False
    publish_on: dt.date | None = None


REGISTRATION_FIELDS: Schema = {
    "opens": (date_value, True),
    "closes": (date_value, True),
    "channel": (text_value, True),
}
PAYMENT_FIELDS: Schema = {
    "date": (date_value, True),
    "people": (people_value, True),
    "amount": (amount_value, True),
}
PAYOUT_FIELDS: Schema = {
    "registered_people": (people_value, True),
    "confirmed_total": (amount_value, True),
    "recovered": (amount_value, True),
    "batches": (lambda value: value, False),
    "supplementary": (lambda value: value, False),
}
NOTICE_FIELDS: Schema = {
    "title": (text_value, True),
    "date": (date_value, True),
    "summary": (text_value, True),
    "court": (text_value, True),
    "case_number": (text_value, True),
    "crime": (text_value, True),
    "registration": (lambda value: value, True),
    "who_may_register": (text_value, True),
    "materials": (text_list_value, True),
    "anti_fraud": (text_value, True),
    "payout_rules": (text_value, True),
    "payout": (lambda value: value, False),
    "demonstration": (flag_value, False),
    **PUBLICATION_FIELDS,
}


def _payments(value: Any, where: str, report: FileReport) -> tuple[Payment, ...]:
    if not isinstance(value, list):
        report.add(where, f"expected a list of {{date, people, amount}}, got {describe(value)}")
        return ()
    payments = []
    for number, item in enumerate(value, start=1):
        values = validate_fields(item, PAYMENT_FIELDS, report, f"{where}[{number}]")
        if values is not None and len(values) == len(PAYMENT_FIELDS):
            payments.append(Payment(**values))
    return tuple(payments)


def _payout(value: Any, report: FileReport) -> Payout | None:
    values = validate_fields(value, PAYOUT_FIELDS, report, "payout")
    if values is None:
        return None
    batches = _payments(values.get("batches", []), "payout.batches", report)
    supplementary = _payments(values.get("supplementary", []), "payout.supplementary", report)
    if {"confirmed_total", "recovered"} <= set(values):
        if values["confirmed_total"] == 0:
            report.add("payout.confirmed_total", "must be more than 0 (the ratio divides by it)")
        elif values["recovered"] > values["confirmed_total"]:
            report.add("payout.recovered", "is more than payout.confirmed_total")
    if not report.ok:
        return None
    return Payout(
        registered_people=values["registered_people"],
        confirmed_total=values["confirmed_total"],
        recovered=values["recovered"],
        batches=batches,
        supplementary=supplementary,
    )


def read_victim_notice(
    path: Path, match: re.Match[str], report: FileReport
) -> VictimNoticeFile | None:
    """Read one notice file; its problems go to `report`, named by field."""
    key, lang = match["key"], match["lang"]
    if key in RESERVED_NOTICE_KEYS:
        report.add(None, f"notice key '{key}' is reserved for the victims' pages' own URLs")
    parsed = read_content_file(path, key, lang, NOTICE_FIELDS, report)
    if parsed is None:
        return None
    values = parsed.values
    registration = {}
    if "registration" in values:
        registration = (
            validate_fields(values["registration"], REGISTRATION_FIELDS, report, "registration")
            or {}
        )
    if {"opens", "closes"} <= set(registration) and registration["closes"] < registration["opens"]:
        report.add("registration.closes", "is before registration.opens")
    payout = _payout(values["payout"], report) if "payout" in values else None
    if not report.complete:
        return None
    return VictimNoticeFile(
        key=key,
        lang=lang,
        title=values["title"],
        date=values["date"],
        summary=values["summary"],
        court=values["court"],
        case_number=values["case_number"],
        crime=values["crime"],
        opens=registration["opens"],
        closes=registration["closes"],
        channel=registration["channel"],
        who_may_register=values["who_may_register"],
        materials=values["materials"],
        anti_fraud=values["anti_fraud"],
        payout_rules=values["payout_rules"],
        **rendered_fields(parsed, report),
        payout=payout,
        demonstration=values.get("demonstration", False),
        publish_on=values.get("publish_on"),
    )


# What every language version of one case's notice must say alike (the figures are one set),
# with the field each is written in.
NOTICE_SHARED_FACTS = {
    "date": "date",
    "opens": "registration.opens",
    "closes": "registration.closes",
    "payout": "payout",
}


def payout_to_json(payout: Payout) -> dict[str, Any]:
    """The payout figures as JSON values: amounts as decimal text, dates as ISO text."""

    def payments(items: tuple[Payment, ...]) -> list[dict[str, Any]]:
        return [
            {"date": p.date.isoformat(), "people": p.people, "amount": str(p.amount)} for p in items
        ]

    return {
        "registered_people": payout.registered_people,
        "confirmed_total": str(payout.confirmed_total),
        "recovered": str(payout.recovered),
        "batches": payments(payout.batches),
        "supplementary": payments(payout.supplementary),
    }


def payout_from_json(data: dict[str, Any]) -> Payout:
    """The inverse of payout_to_json."""

    def payments(items: list[dict[str, Any]]) -> tuple[Payment, ...]:
        return tuple(
            Payment(dt.date.fromisoformat(i["date"]), i["people"], Decimal(i["amount"]))
            for i in items
        )

    return Payout(
        registered_people=data["registered_people"],
        confirmed_total=Decimal(data["confirmed_total"]),
        recovered=Decimal(data["recovered"]),
        batches=payments(data["batches"]),
        supplementary=payments(data["supplementary"]),
    )


def format_yuan(amount: Decimal, lang: str) -> str:
    """An amount with thousands separators and its unit: '117,384,476.57 yuan' / '… 元'."""
    text = f"{amount:,.2f}"
    return f"{text} 元" if lang == "zh" else f"{text} yuan"
