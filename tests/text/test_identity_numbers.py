"""What counts as shaped like an identity number: the rule search uses to keep numbers out of its
pages and URLs, the same shapes the debtor list validates."""

from __future__ import annotations

import pytest

from portal.registers.identity import is_valid_number
from portal.text.identity_numbers import holds_identity_number, normalise_number
from tests.support.debtorfiles import credit_code, resident_id

NUMBER = resident_id()  # 310101198001011235-like: valid, with its check character
CODE = credit_code()


@pytest.mark.parametrize(
    "text",
    [
        NUMBER,
        NUMBER.lower()[:17] + "x",  # a check character X typed in lower case
        "11010519491231002X",
        f"{NUMBER[:6]} {NUMBER[6:14]} {NUMBER[14:]}",  # grouped as printed on the card
        f"{NUMBER[:6]}-{NUMBER[6:14]}-{NUMBER[14:]}",
        "".join(chr(ord(ch) + 0xFEE0) for ch in NUMBER),  # full-width digits
        f"张伟{NUMBER}失信",  # inside Chinese text, no space around it
        f"enforcement {NUMBER} 2023",
        NUMBER[:17] + ("1" if NUMBER[17] == "0" else "0"),  # a wrong check character
        "110105491231002",  # a first-generation number: 15 digits
        CODE,
        f"公司 {CODE} 执行",
        CODE.lower(),
        f"{CODE[:9]} {CODE[9:]}",
    ],
)
def test_a_number_is_found_however_it_is_typed(text: str) -> None:
    assert holds_identity_number(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "detention",
        "2023年执行工作报告",
        "(2023)沪0101执1234号",  # a case number
        "The courts detained 208 people in 2020",
        "13812345678",  # a mobile phone number: 11 digits
        "12345678901234",  # 14 digits
        "2021-01-15",
        "Shanghai No. 1 Intermediate People's Court",
        "MA1FL3XY enforcement",  # an organisation code alone
        NUMBER[:10] + "年" + NUMBER[10:],  # broken by a character that is no separator
    ],
)
def test_ordinary_searches_are_not_taken_for_numbers(text: str) -> None:
    assert not holds_identity_number(text)


def test_every_number_the_list_accepts_is_shaped_like_one() -> None:
    for number in (resident_id(birth=f"19{year:02d}0{month}15", sequence=f"{year:03d}")
                   for year in range(100) for month in range(1, 10)):  # fmt: skip
        assert is_valid_number(number)
        assert holds_identity_number(number)
    assert is_valid_number(CODE)
    assert holds_identity_number(CODE)


def test_the_lookup_and_search_read_a_typed_number_the_same_way() -> None:
    from portal.registers import identity

    assert identity.normalise_number is normalise_number
    assert normalise_number(" １１０１０５ 1949-1231 002x ") == "11010519491231002X"
