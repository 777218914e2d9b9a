"""The guards of a lookup in either register: what was typed, validated and normalised, before
any query runs (the debtor lookup, the victims' status check)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from portal.registers.identity import is_valid_number, normalise_number
from portal.text import names

MAX_NAME_LENGTH = 200


@dataclass(frozen=True)
class ListState:
    """When a register was last imported, and whether it is fictional demonstration data."""

    as_of: dt.datetime
    demo: bool


@dataclass(frozen=True)
class LookupQuery:
    """A validated lookup: the normalised name and, optionally, the normalised number."""

    name_key: str
    number: str | None = field(default=None, repr=False)  # never in a repr, hence never logged


class InvalidQuery(ValueError):
    """The lookup cannot be run; `errors` maps each field to a problem code."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__(", ".join(f"{name}: {code}" for name, code in errors.items()))


def parse_query(
    name: str | None, number: str | None, *, require_number: bool = False
) -> LookupQuery:
    """Validate what was typed. Codes: name_required, name_too_long, number_required (only
    when `require_number`), number_invalid."""
    errors = {}
    name_key = names.name_key(name or "")
    if not name_key:
        errors["name"] = "name_required"
    elif len(name or "") > MAX_NAME_LENGTH:
        errors["name"] = "name_too_long"
    normalised = normalise_number(number or "") or None
    if normalised is None and require_number:
        errors["number"] = "number_required"
    elif normalised is not None and not is_valid_number(normalised):
        errors["number"] = "number_invalid"
    if errors:
        raise InvalidQuery(errors)
    return LookupQuery(name_key=name_key, number=normalised)
