"""Identities in both registers (debtors, victims): resident ID numbers (GB 11643), unified
social credit codes (GB 32100), masks for display and keyed hashes for exact lookup. Their
shapes and the canonical form of a typed number are portal/text/identity_numbers.py's, shared
with search."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import operator
from dataclasses import dataclass
from enum import StrEnum

from portal.text.identity_numbers import CREDIT_CODE_PATTERN, RESIDENT_ID_PATTERN
from portal.text.identity_numbers import normalise_number as normalise_number  # for the importer

# ISO 7064 MOD 11-2 weights of the 17 body digits of a resident ID number.
RESIDENT_ID_WEIGHTS = tuple(pow(2, 17 - position, 11) for position in range(17))
RESIDENT_ID_CHECK = "10X98765432"  # indexed by (sum of weighted digits) mod 11
# The first two digits of a resident's region code: the provinces, autonomous regions,
# municipalities and the special administrative regions and Taiwan (GB/T 2260). The full list of
# county codes is not checked: it changes over the years, and old codes stay valid in old IDs.
PROVINCE_CODES = frozenset(
    {"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
     "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64",
     "65", "71", "81", "82"}
)  # fmt: skip
ADULT_AGE = 18

# GB 32100-2015: 31 characters, without I, O, S, V and Z, each worth its position.
CREDIT_CODE_CHARACTERS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_VALUES = {character: value for value, character in enumerate(CREDIT_CODE_CHARACTERS)}
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# The organisation code inside (GB 11714): eight characters and its own check character.
ORGANISATION_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

# The mask keeps the region code (6 digits) and hides the birth date, the sequence number and the
# check character: to someone who knows the name and the publication date that leaves every
# adult birth date times 1,000 sequence numbers, about 30 million candidates (docs/debtors.md).
MASK_KEEP_START = 6
# The context keeps its first name: changing it would change every stored hash of both registers.
ID_HASH_CONTEXT = b"debtor-id-number"


class Kind(StrEnum):
    """Who a record is about: a person (a resident ID number) or an organisation (a unified
    social credit code)."""

    PERSON = "person"
    ORGANISATION = "organisation"


class InvalidIdentity(ValueError):
    """An identity number that is not well formed; the message says why, without the number."""


def resident_id_check_character(body: str) -> str:
    """The ISO 7064 MOD 11-2 check character of the first 17 digits of a resident ID number."""
    total = sum(map(operator.mul, map(int, body), RESIDENT_ID_WEIGHTS))
    return RESIDENT_ID_CHECK[total % 11]


def resident_id_birth_date(number: str) -> dt.date:
    """The birth date written in a resident ID number (InvalidIdentity if it is not a date)."""
    try:
        return dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise InvalidIdentity("the birth date in the number is not a real date") from None


def check_resident_id(number: str) -> dt.date:
    """Check a normalised resident ID number: shape, region, birth date and check character;
    return the birth date."""
    if not RESIDENT_ID_PATTERN.match(number):
        raise InvalidIdentity(
            "a resident ID number has 17 digits and a check character (a digit or X)"
        )
    if number[:2] not in PROVINCE_CODES:
        raise InvalidIdentity("the region code does not start with a province code")
    birth = resident_id_birth_date(number)
    if birth.year < 1900:
        raise InvalidIdentity("the birth date in the number is before 1900")
    if resident_id_check_character(number[:17]) != number[17]:
        raise InvalidIdentity("the check character does not match (ISO 7064 MOD 11-2)")
    return birth


def age_on(birth: dt.date, day: dt.date) -> int:
    """Age in whole years on `day` (someone born on 29 February comes of age on 1 March)."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def organisation_code_check_character(body: str) -> str:
    """The GB 11714 check character of an organisation code's first eight characters."""
    total = sum(
        int(ch, 36) * weight for ch, weight in zip(body, ORGANISATION_CODE_WEIGHTS, strict=True)
    )
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def credit_code_check_character(body: str) -> str:
    """The GB 32100 check character of the first 17 characters of a unified social credit code."""
    total = sum(
        CREDIT_CODE_VALUES[ch] * weight
        for ch, weight in zip(body, CREDIT_CODE_WEIGHTS, strict=True)
    )
    return CREDIT_CODE_CHARACTERS[(31 - total % 31) % 31]


def check_credit_code(code: str) -> None:
    """Check a normalised unified social credit code, both of its check characters included."""
    if not CREDIT_CODE_PATTERN.match(code):
        raise InvalidIdentity(
            "a unified social credit code has 18 characters: registration authority, category, "
            "a 6-digit region code, a 9-character organisation code and a check character, "
            "without I, O, S, V or Z"
        )
    if organisation_code_check_character(code[8:16]) != code[16]:
        raise InvalidIdentity("the organisation code's check character does not match (GB 11714)")
    if credit_code_check_character(code[:17]) != code[17]:
        raise InvalidIdentity("the check character does not match (GB 32100)")


def is_valid_number(number: str) -> bool:
    """Whether a normalised number is a valid resident ID number or unified social credit code."""
    for check in (check_resident_id, check_credit_code):
        try:
            check(number)
        except InvalidIdentity:
            continue
        return True
    return False


def mask_number(number: str) -> str:
    """A resident ID number for display: the region code only, the other 12 characters hidden."""
    return number[:MASK_KEEP_START] + "*" * (len(number) - MASK_KEEP_START)


def mask_candidates(masked: str, published_on: dt.date) -> int:
    """How many valid resident ID numbers show as `masked` for a person of age on
    `published_on`: each birth date from 1900 to 18 years before, times 1,000 sequence numbers
    (the check character follows from the rest)."""
    if masked[:2] not in PROVINCE_CODES or set(masked[MASK_KEEP_START:]) != {"*"}:
        raise ValueError("not a masked resident ID number")
    try:
        latest = published_on.replace(year=published_on.year - ADULT_AGE)
    except ValueError:  # 29 February: born on the 28th, of age on the 29th
        latest = dt.date(published_on.year - ADULT_AGE, 2, 28)
    return ((latest - dt.date(1900, 1, 1)).days + 1) * 1000


@dataclass(frozen=True)
class IdentityKeys:
    """The keyed hash of identity numbers, under a sub-key derived from the app's secret key, so
    that the secret itself is never used for two purposes."""

    id_key: bytes

    @classmethod
    def from_secret(cls, secret: str | bytes) -> IdentityKeys:
        """Derive the sub-key from the app's SECRET_KEY."""
        raw = secret.encode() if isinstance(secret, str) else secret
        return cls(id_key=hmac.digest(raw, ID_HASH_CONTEXT, hashlib.sha256))

    def number_hash(self, number: str) -> str:
        """HMAC-SHA256 of a normalised identity number, as hex: the only form stored."""
        return hmac.digest(self.id_key, number.encode("ascii"), hashlib.sha256).hex()
