"""The rule that the language versions of one item say the same facts: a release's date, a
case's court and measures, a notice's payout figures. Each reader names the facts it shares."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import Any

from portal.content.files import ContentProblem


def _shown(value: Any) -> str | None:
    """A fact as the message quotes it; None for a compound value (a notice's payout)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None or isinstance(value, str | int | float | tuple | list):
        return repr(value)
    return None


class LanguageVersions:
    """Checks each language version of an item against the first one seen (take them in file
    order); a fact that differs is a problem of the later file, naming the first."""

    def __init__(
        self,
        item: str,
        facts: Mapping[str, str],
        problems: list[ContentProblem],
        compared_as: Callable[[str, Any], Any] = lambda _name, value: value,
    ) -> None:
        """`facts` maps each shared attribute to its field as the file writes it; `item` words
        the message ('a release share one date'); `compared_as` evens out what may differ."""
        self.item = item
        self.facts = facts
        self.problems = problems
        self.compared_as = compared_as
        self.first: dict[Hashable, Any] = {}

    def check(self, key: Hashable, version: Any) -> None:
        first = self.first.setdefault(key, version)
        for attribute, field_name in self.facts.items():
            theirs = self.compared_as(attribute, getattr(first, attribute))
            if self.compared_as(attribute, getattr(version, attribute)) == theirs:
                continue
            shown = _shown(theirs)
            expected = f"expected {shown} as in" if shown is not None else "differs from"
            self.problems.append(
                ContentProblem(
                    version.source_path,
                    field_name,
                    f"{expected} {first.source_path}; all language versions of {self.item}",
                )
            )


def check_versions_agree(
    versions: Iterable[Any],
    key: Callable[[Any], Hashable],
    item: str,
    facts: Mapping[str, str],
    problems: list[ContentProblem],
) -> None:
    """Check every language version of each item (grouped by `key`) against the first file."""
    checker = LanguageVersions(item, facts, problems)
    for version in sorted(versions, key=lambda v: v.source_path):
        checker.check(key(version), version)
