"""Identity rules without a database: resident ID numbers, credit codes, masks, name matching."""

from __future__ import annotations

import datetime as dt
import hmac

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.registers.identity import (
    CREDIT_CODE_CHARACTERS,
    IdentityKeys,
    InvalidIdentity,
    age_on,
    check_credit_code,
    check_resident_id,
    is_valid_number,
    mask_candidates,
    mask_number,
    normalise_number,
)
from tests.support.debtorfiles import credit_code, resident_id


def test_published_examples_of_both_numbers_are_valid() -> None:
    check_resident_id("11010519491231002X")  # the example of GB 11643
    check_credit_code("91350100M000100Y43")  # a commonly cited valid code


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        ("11010519491231002", "17 digits and a check character"),
        ("1101051949123100AX", "17 digits and a check character"),
        ("99010519491231002X", "province code"),
        ("110105194902300021", "not a real date"),
        ("110105189912310021", "before 1900"),
        ("110105194912310021", "check character does not match"),
        # Other scripts' digits are digits to Unicode, not to GB 11643 (nor to the hash).
        ("11" + "\u0660" * 15 + "X", "17 digits and a check character"),
        ("110105194912310" + "\u0967\u0968\u0969", "17 digits and a check character"),
    ],
)
def test_a_bad_resident_id_number_says_what_is_wrong(number: str, reason: str) -> None:
    with pytest.raises(InvalidIdentity, match=reason):
        check_resident_id(number)


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("91350100M000100Y4", "18 characters"),
        ("91350100M000100YO3", "18 characters"),  # O is not in the character set
        ("91350100M000100Y44", "GB 32100"),
        ("91350100M000101Y43", "GB 11714"),
        ("91\u0663\u0665\u0660100M000100Y43", "18 characters"),
    ],
)
def test_a_bad_credit_code_says_what_is_wrong(code: str, reason: str) -> None:
    with pytest.raises(InvalidIdentity, match=reason):
        check_credit_code(code)


@given(
    st.sampled_from(["310101", "310115", "440305"]),
    st.dates(min_value=dt.date(1900, 1, 1)),
    st.integers(0, 999),
    st.integers(0, 16),
    st.integers(1, 9),
)
def test_changing_any_digit_of_a_resident_id_breaks_the_check(
    region, birth, sequence, position, delta
) -> None:
    number = resident_id(region, birth.strftime("%Y%m%d"), f"{sequence:03d}")
    check_resident_id(number)
    digit = (int(number[position]) + delta) % 10
    changed = number[:position] + str(digit) + number[position + 1 :]
    with pytest.raises(InvalidIdentity):  # MOD 11-2 catches every single-digit error
        check_resident_id(changed)


@given(st.text(alphabet=CREDIT_CODE_CHARACTERS.replace("I", ""), min_size=8, max_size=8))
def test_generated_credit_codes_are_valid(organisation: str) -> None:
    check_credit_code(credit_code("310115", organisation))


def test_numbers_are_normalised_before_checking() -> None:
    assert normalise_number(" １１０１０５ 1949-1231 002x ") == "11010519491231002X"
    assert is_valid_number(normalise_number("１１０１０５１９４９１２３１００２ｘ"))


def test_a_person_number_is_masked_to_its_region_alone() -> None:
    assert mask_number("31010119800101123X") == "310101************"
    assert mask_number(resident_id(birth="19630203", sequence="097")) == "310101************"


def test_every_sequence_of_every_birth_date_is_one_valid_number_behind_the_mask() -> None:
    # Enumerated for one year: 365 birth dates, each with 1,000 sequences, and for each exactly
    # one check character gives a valid number, all showing the same mask.
    day, valid = dt.date(1963, 1, 1), 0
    while day.year == 1963:
        for sequence in range(1000):
            body = f"310101{day:%Y%m%d}{sequence:03}"
            numbers = [body + check for check in "0123456789X"]
            matching = [n for n in numbers if valid_resident_id(n)]
            assert len(matching) == 1
            assert mask_number(matching[0]) == "310101************"
            valid += 1
        day += dt.timedelta(days=1)
    assert valid == 365_000  # a single birth year already leaves more than 100,000


@pytest.mark.parametrize("published", [dt.date(2025, 6, 1), dt.date(2024, 2, 29)])
def test_the_mask_leaves_millions_of_candidates_to_who_knows_name_and_date(published) -> None:
    # Every birth date from 1900 that makes the person an adult on the publication date.
    dates, day = 0, dt.date(1900, 1, 1)
    while age_on(day, published) >= 18:
        check_resident_id(resident_id(region="310101", birth=f"{day:%Y%m%d}"))
        dates, day = dates + 1, day + dt.timedelta(days=1)
    assert mask_candidates("310101************", published) == dates * 1000
    assert dates * 1000 > 30_000_000
    with pytest.raises(ValueError, match="not a masked"):
        mask_candidates("310101********123X", published)


def test_the_number_hash_is_keyed_by_a_sub_key_of_the_secret() -> None:
    one, other = IdentityKeys.from_secret("secret one"), IdentityKeys.from_secret("secret two")
    number = resident_id()
    assert one.number_hash(number) == IdentityKeys.from_secret("secret one").number_hash(number)
    assert one.number_hash(number) != other.number_hash(number)
    assert len(one.number_hash(number)) == 64
    assert one.id_key != b"secret one"


@pytest.mark.parametrize(
    ("keys", "number", "stored"),
    [
        (IdentityKeys.from_secret("secret one"), "11010519491231002X",
         "c59d17dfdc73c1a85202ad545b104418f7a687b685aaf08d27d89ed45da78a6a"),
        (IdentityKeys.from_secret("secret one"), "91350100M000100Y43",
         "d8cfc9dc735b7d4b6500727d62d58108806de73a8bf438964e80e8b7674e0c27"),
        # A sub-key longer than SHA-256's block is hashed first, as HMAC does.
        (IdentityKeys(id_key=b"k" * 100), "11010519491231002X",
         "bbc5660346526bde40d368d4c976dafe6e5ed4d5004776c818d17b9476b31aec"),
    ],
)  # fmt: skip
def test_the_number_hash_stays_the_hash_already_stored(keys, number, stored) -> None:
    # Every stored id_hash of both registers is this HMAC-SHA256: a change would make every
    # exact lookup and status check miss until the next import.
    assert keys.number_hash(number) == stored
    assert keys.number_hash(number) == hmac.digest(keys.id_key, number.encode(), "sha256").hex()


def valid_resident_id(number: str) -> bool:
    try:
        check_resident_id(number)
    except InvalidIdentity:
        return False
    return True
