"""Courts' contact details in the vocabulary: optional, validated field by field, read in each
language, refused with the file and the field named."""

from __future__ import annotations

import pytest

from portal.content.cases import read_cases
from portal.content.contacts import CourtContact
from portal.content.files import ContentError
from portal.db.load import read_site
from tests.support.site import SiteBuilder

COURT = {"en": "Minhang District Court", "zh": "闵行区人民法院"}
OTHER = {"en": "No.1 Intermediate Court", "zh": "第一中级人民法院"}
FULL_CONTACT = {
    "address": {"en": "1 Example Road, Shanghai", "zh": "上海市示例路1号"},
    "telephone": "+86 21 5555 0100",
    "email": "office@court.example",
    "office_hours": {"en": "Monday to Friday, 9:00 to 17:00", "zh": "周一至周五 9:00—17:00"},
    "website": "https://court.example/",
}


def with_contact(site: SiteBuilder, contact: object) -> SiteBuilder:
    site.vocabulary(
        courts={
            "minhang-district": COURT | {"contact": contact},
            "shanghai-no1-intermediate": OTHER,
        }
    )
    return site.standard_cases()


def problems_of(site: SiteBuilder) -> list[str]:
    with pytest.raises(ContentError) as caught:
        read_site(site.content, site.cases)
    return [str(problem) for problem in caught.value.problems]


def test_a_court_contact_is_read_in_each_language(site: SiteBuilder) -> None:
    case_set, problems = read_cases(with_contact(site, FULL_CONTACT).cases)
    assert problems == []
    assert sorted(case_set.contacts, key=lambda c: c.lang) == [
        CourtContact("minhang-district", "en", "1 Example Road, Shanghai", "+86 21 5555 0100",
                     "office@court.example", "Monday to Friday, 9:00 to 17:00",
                     "https://court.example/"),
        CourtContact("minhang-district", "zh", "上海市示例路1号", "+86 21 5555 0100",
                     "office@court.example", "周一至周五 9:00—17:00", "https://court.example/"),
    ]  # fmt: skip


def test_contact_details_are_optional_field_by_field(site: SiteBuilder) -> None:
    case_set, problems = read_cases(with_contact(site, {"telephone": "021-5555 0100"}).cases)
    assert problems == []
    assert {(c.lang, c.telephone, c.address, c.email) for c in case_set.contacts} == {
        ("en", "021-5555 0100", None, None),
        ("zh", "021-5555 0100", None, None),
    }
    site.vocabulary()  # no court has any
    assert read_cases(site.cases)[0].contacts == []


@pytest.mark.parametrize(
    ("contact", "expected"),
    [
        ({"telephone": "call us"}, "field 'courts.minhang-district.contact.telephone': expected "
         "a telephone number: digits, spaces, '+', '-' and brackets, got 'call us'"),
        ({"email": "office at court"}, "field 'courts.minhang-district.contact.email': expected "
         "an e-mail address such as office@court.example, got 'office at court'"),
        ({"website": "javascript:alert(1)"}, "field 'courts.minhang-district.contact.website': "
         "expected a web address starting with https:// or http://, got 'javascript:alert(1)'"),
        ({"address": "1 Example Road"}, "field 'courts.minhang-district.contact.address': "
         "expected the text in each language: en, zh, got '1 Example Road'"),
        ({"office_hours": {"en": "9 to 5", "zh": " "}}, "field "
         "'courts.minhang-district.contact.office_hours.zh': expected non-empty text, "
         "got empty text"),
        ({"fax": "021 5555 0101"}, "field 'courts.minhang-district.contact.fax': is not a contact "
         "field; allowed: address, office_hours, telephone, email, website"),
        ({"telephone": 2155550100}, "field 'courts.minhang-district.contact.telephone': expected "
         "non-empty text, got int 2155550100"),
        ("+86 21 5555 0100", "field 'courts.minhang-district.contact': expected a mapping of "
         "some of address, office_hours, telephone, email, website"),
    ],
)  # fmt: skip
def test_a_bad_contact_value_is_refused_naming_the_file_and_field(
    site: SiteBuilder, contact: object, expected: str
) -> None:
    assert problems_of(with_contact(site, contact)) == [f"cases/vocabulary.yaml: {expected}"]


def test_only_courts_may_have_contact_details(site: SiteBuilder) -> None:
    site.vocabulary(measures={"fine": {"en": "Fine", "zh": "罚款", "contact": FULL_CONTACT},
                              "detention": {"en": "Detention", "zh": "拘留"},
                              "judicial-auction": {"en": "Auction", "zh": "拍卖"}})  # fmt: skip
    site.standard_cases()
    assert problems_of(site)[0] == (
        "cases/vocabulary.yaml: field 'measures.fine': expected exactly the labels en, zh"
    )
