"""Which vocabulary court a register's free-text `court` is, and its published contacts, read
from the database after `portal load` (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from portal.debtors.courts import contact_fields, court_directory
from portal.web.db import session_factory

HUANGPU = {
    "en": "Huangpu District People's Court of Shanghai",
    "zh": "上海市黄浦区人民法院",
    "contact": {"telephone": "+86 21 5555 0100", "address": {"en": "1 Road", "zh": "1号"}},
}


@pytest.fixture
def directories(make_app, site, database_url: str):
    site.vocabulary(
        courts={
            "huangpu-district": HUANGPU,
            "minhang-district": {"en": "Minhang District Court", "zh": "闵行区人民法院"},
            "shanghai-no1-intermediate": {"en": "No.1 Intermediate Court", "zh": "第一中级"},
        }
    )
    site.standard().standard_cases()
    app = make_app(database_url)
    with session_factory(app)() as session:
        yield {lang: court_directory(session, lang) for lang in ("en", "zh")}


@pytest.mark.parametrize(
    "written",
    [
        "上海市黄浦区人民法院",
        "上海市黃浦區人民法院",  # traditional characters
        "上海市黄浦区 人民法院",  # a space
        "ＨＵＡＮＧＰＵ District People's Court of Shanghai",  # full width, capitals
        "huangpu-district",  # the vocabulary key
    ],
)
def test_a_court_matches_on_either_name_or_its_key(directories, written: str) -> None:
    for lang, label in (("en", HUANGPU["en"]), ("zh", HUANGPU["zh"])):
        court = directories[lang].find(written)
        assert court is not None
        assert court.label == label
    assert contact_fields(directories["zh"].find(written).contact) == {
        "telephone": "+86 21 5555 0100",
        "address": "1号",
    }


def test_a_court_without_contacts_or_outside_the_vocabulary_finds_nothing(directories) -> None:
    assert directories["en"].find("闵行区人民法院") is None  # in the vocabulary, no contacts
    assert directories["en"].find("上海市徐汇区人民法院") is None  # not in the vocabulary
    assert [court.key for court in directories["en"].courts] == ["huangpu-district"]
