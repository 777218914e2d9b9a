"""A court's contact details, as the court publishes them: an optional `contact` mapping under
the court's entry in the vocabulary, validated like the rest of it.

Nothing is required: a court fills in what it publishes, and pages show only what is filled.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from portal.content.files import FileReport, Invalid, describe, text_value
from portal.text.languages import LANGUAGE_CODES

CONTACT_KEY = "contact"
# Text that reads differently in each language, and values that are the same in both.
TRANSLATED_FIELDS = ("address", "office_hours")
SHARED_FIELDS = ("telephone", "email", "website")
CONTACT_FIELDS = TRANSLATED_FIELDS + SHARED_FIELDS

# Digits with the separators courts write: "+86 21 1234 5678", "(021) 1234-5678", "12345".
TELEPHONE_PATTERN = re.compile(r"^\+?\(?\d[\d ()-]{3,28}\d$")
EMAIL_PATTERN = re.compile(r"^[^@\s<>\"']+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$")
# Only web addresses: a link on the page must never run script (javascript:) or open a file.
WEBSITE_PATTERN = re.compile(r"^https?://[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?::\d+)?(?:/\S*)?$")


@dataclass(frozen=True)
class CourtContact:
    """A court's published contact details in one language; None where the court gives none."""

    court: str
    lang: str
    address: str | None = None
    telephone: str | None = None
    email: str | None = None
    office_hours: str | None = None
    website: str | None = None


def _pattern_value(pattern: re.Pattern[str], expected: str) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        text = text_value(value)
        if not pattern.match(text):
            raise Invalid(f"expected {expected}, got {describe(value)}")
        return text

    return check


SHARED_VALIDATORS: dict[str, Callable[[Any], str]] = {
    "telephone": _pattern_value(
        TELEPHONE_PATTERN, "a telephone number: digits, spaces, '+', '-' and brackets"
    ),
    "email": _pattern_value(EMAIL_PATTERN, "an e-mail address such as office@court.example"),
    "website": _pattern_value(WEBSITE_PATTERN, "a web address starting with https:// or http://"),
}


def read_contact(court: str, value: Any, report: FileReport) -> list[CourtContact]:
    """The contact details under `courts.<court>.contact`, one record a language; every problem
    is reported with its field, and a court with any problem gets none."""
    where = f"courts.{court}.{CONTACT_KEY}"
    if not isinstance(value, dict) or not value:
        report.add(where, f"expected a mapping of some of {', '.join(CONTACT_FIELDS)}")
        return []
    ok = True
    for name in sorted(set(value) - set(CONTACT_FIELDS), key=str):
        allowed = ", ".join(CONTACT_FIELDS)
        report.add(f"{where}.{name}", f"is not a contact field; allowed: {allowed}")
        ok = False
    fields: dict[str, dict[str, str]] = {lang: {} for lang in LANGUAGE_CODES}
    for name in SHARED_FIELDS:
        if name in value:
            try:
                checked = SHARED_VALIDATORS[name](value[name])
            except Invalid as error:
                report.add(f"{where}.{name}", str(error))
                ok = False
                continue
            for lang in LANGUAGE_CODES:
                fields[lang][name] = checked
    for name in TRANSLATED_FIELDS:
        if name not in value:
            continue
        texts = value[name]
        if not isinstance(texts, dict) or set(texts) != set(LANGUAGE_CODES):
            report.add(
                f"{where}.{name}",
                f"expected the text in each language: {', '.join(LANGUAGE_CODES)}, "
                f"got {describe(texts)}",
            )
            ok = False
            continue
        for lang in LANGUAGE_CODES:
            try:
                fields[lang][name] = text_value(texts[lang])
            except Invalid as error:
                report.add(f"{where}.{name}.{lang}", str(error))
                ok = False
    if not ok:
        return []
    return [CourtContact(court=court, lang=lang, **fields[lang]) for lang in LANGUAGE_CODES]
