"""The shapes of identity numbers, shared by the debtor list (which validates them in full,
portal/registers/identity.py) and search (which keeps them out of its pages and URLs)."""

from __future__ import annotations

import re
import unicodedata

# A resident ID number (GB 11643): 17 digits and a check character, a digit or X.
RESIDENT_ID_PATTERN = re.compile(r"^\d{17}[\dX]$", re.ASCII)
# The first generation's 15 digits (region, birth date as YYMMDD, sequence), still in old files.
OLD_RESIDENT_ID_PATTERN = re.compile(r"^\d{15}$", re.ASCII)
# A unified social credit code (GB 32100-2015): registration authority, organisation category,
# region code, organisation code, check character; 31 characters, without I, O, S, V and Z.
CREDIT_CODE_PATTERN = re.compile(r"^[1-9A-HNY][1-9]\d{6}[0-9A-HJ-NP-RTUW-Y]{10}$", re.ASCII)
NUMBER_LENGTHS = {15: (OLD_RESIDENT_ID_PATTERN,), 18: (RESIDENT_ID_PATTERN, CREDIT_CODE_PATTERN)}
# Where one of them could start and end, once the text is in the numbers' canonical form.
NUMBER_RUN = re.compile(rf"[0-9A-Z]{{{min(NUMBER_LENGTHS)},}}")


def normalise_number(value: str) -> str:
    """A number as typed (full-width digits, spaces, hyphens, lower-case x) in canonical form."""
    if value.isascii() and value.isalnum():
        return value.upper()  # the usual case, as exported; a million rows notice the shortcut
    folded = unicodedata.normalize("NFKC", value)
    return "".join(ch for ch in folded if not ch.isspace() and ch != "-").upper()


def holds_identity_number(text: str) -> bool:
    """Whether `text` holds something shaped like an identity number, read as a number is read
    when typed into the lookup (`normalise_number`: spaces and hyphens anywhere ignored): 15
    digits in a row (an old resident ID, and so any longer run of digits too), or 18 characters
    shaped like a resident ID number or a unified social credit code. Validity is not asked: a
    mistyped number is still someone's number, all but one character."""
    for run in NUMBER_RUN.finditer(normalise_number(text)):
        characters = run.group()
        for start in range(len(characters)):
            for length, patterns in NUMBER_LENGTHS.items():
                window = characters[start : start + length]
                if len(window) == length and any(p.match(window) for p in patterns):
                    return True
    return False


def number_shapes() -> dict[int, list[str]]:
    """The shapes as regular expressions by length, for the frozen copy's search, which applies
    them in the browser (static/js/static-search.js) as `holds_identity_number` does."""
    return {length: [p.pattern for p in patterns] for length, patterns in NUMBER_LENGTHS.items()}
