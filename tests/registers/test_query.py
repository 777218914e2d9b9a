"""The lookup guards both registers share: what was typed, validated before any query."""

from __future__ import annotations

import pytest

from portal.registers.query import MAX_NAME_LENGTH, InvalidQuery, parse_query
from tests.support.debtorfiles import resident_id


def test_a_name_and_number_are_normalised() -> None:
    number = resident_id()
    query = parse_query(" 张 伟 ", f" {number[:6]} {number[6:].lower()} ", require_number=True)
    assert (query.name_key, query.number) == ("张伟", number)
    assert number not in repr(query)  # never in a log line


@pytest.mark.parametrize(
    ("name", "number", "require", "errors"),
    [
        ("", None, False, {"name": "name_required"}),
        ("张" * (MAX_NAME_LENGTH + 1), None, False, {"name": "name_too_long"}),
        ("张伟", "", True, {"number": "number_required"}),
        ("张伟", "123", False, {"number": "number_invalid"}),
        ("", "123", True, {"name": "name_required", "number": "number_invalid"}),
    ],
)
def test_each_problem_has_its_code(
    name: str, number: str | None, require: bool, errors: dict[str, str]
) -> None:
    with pytest.raises(InvalidQuery) as caught:
        parse_query(name, number, require_number=require)
    assert caught.value.errors == errors


def test_without_require_number_a_name_alone_is_a_query() -> None:
    assert parse_query("张伟", None).number is None
