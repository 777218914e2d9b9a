"""The portal's first press release, as a reporter reads it, in English and in Chinese."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from portal.web.db import database_engine
from tests.support.pagecheck import fetch
from tests.support.site import build_bundled_site

ROOT = Path(__file__).resolve().parents[2]
# The court's report as published, kept with the tests so that a fresh clone checks the release.
SEED = ROOT / "tests/data/press-release-2021-01-15-enforcement-work-2020.txt"
RELEASE = "/{lang}/press/2021/enforcement-work-2020/"
# The figures reporters quote, as the English and the Chinese versions write them.
FIGURES = {
    "en": ["161,600", "162,100", "RMB 37.894 billion", "7.68%", "7.56%", "15,587", "3,475",
           "28 cases", "208 people", "1,315 people", "RMB 369 million", "35,000", "RMB 500 million",
           "18,000"],
    "zh": ["16.16万件", "16.21万件", "378.94亿元", "7.68%", "7.56%", "15587人", "3475份", "28件",
           "208人", "1315人", "3.69亿元", "3.5万", "5亿", "1.8万"],
}  # fmt: skip


@pytest.fixture
def bundled(database_url: str):
    app = build_bundled_site(database_url)
    yield app.test_client()
    database_engine(app).dispose()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_release_carries_every_figure_and_links_to_its_translation(bundled, lang: str) -> None:
    page = fetch(bundled, RELEASE.format(lang=lang))
    text = page.html.select_one("article").get_text(" ")
    missing = [figure for figure in FIGURES[lang] if figure not in text]
    assert missing == []
    other = "zh" if lang == "en" else "en"
    assert page.html.select_one(f".language-switch a[href='{RELEASE.format(lang=other)}']")
    assert len(page.html.select(".attachments li")) == 3


def test_the_english_release_is_the_seed_word_for_word() -> None:
    seed = SEED.read_text(encoding="utf-8")
    body = (ROOT / "content/press/2021/enforcement-work-2020.en.md").read_text(encoding="utf-8")
    paragraphs = [p.strip() for p in body.split("---", 2)[2].split("\n\n") if p.strip()]
    assert len(paragraphs) == 7
    for paragraph in paragraphs:
        assert paragraph in seed


def test_the_english_release_carries_the_courts_translation_note(bundled) -> None:
    page = fetch(bundled, RELEASE.format(lang="en"))
    assert "is for reference only" in page.text_of(".notice")


def test_the_chinese_release_is_marked_as_a_sample_translation(bundled) -> None:
    page = fetch(bundled, RELEASE.format(lang="zh"))
    assert "示例译文" in page.text_of(".notice")
    assert page.text_of("h1") == "上海高院通报2020年全市法院执行工作情况"


def test_the_home_and_press_pages_lead_to_the_release(bundled) -> None:
    for lang in ("en", "zh"):
        for url in (f"/{lang}/", f"/{lang}/press/"):
            links = [a["href"] for a in fetch(bundled, url).html.select(".release-item a")]
            assert RELEASE.format(lang=lang) in links


NAMED_CASES = {  # the six cases the release names, with the court that accepted each
    "/en/cases/2020-difficult-enforcement/01-zhang-v-a-company-in-shanghai/":
        "Minhang District People's Court of Shanghai",
    "/en/cases/2020-difficult-enforcement/02-li-v-shaoxing-xinrong-petty-loan/":
        "Shanghai No.1 Intermediate People's Court",
    "/en/cases/2020-impossibility-of-enforcement/01-ni-and-others-v-a-health-management-company/":
        "Baoshan District People's Court of Shanghai",
    "/en/cases/2020-impossibility-of-enforcement/02-industrial-company-v-decoration-company-branch/":
        "Shanghai No.2 Intermediate People's Court",
    "/en/cases/2020-joint-disciplinary-actions/01-two-testing-centres/":
        "Jinshan District People's Court of Shanghai",
    "/en/cases/2020-joint-disciplinary-actions/02-zhou-v-wang-and-others/":
        "Pudong New Area People's Court of Shanghai",
}  # fmt: skip


def test_the_case_list_shows_the_six_named_cases_with_facet_links(bundled) -> None:
    page = fetch(bundled, "/en/cases/")
    assert sorted(a["href"] for a in page.html.select(".case-item__title a")) == sorted(NAMED_CASES)
    assert page.html.select_one(".facet a[href='/en/cases/court/minhang-district/']")
    assert len(page.html.select(".collection-list li")) == 3


@pytest.mark.parametrize(("url", "court"), NAMED_CASES.items())
def test_each_named_case_names_its_court(bundled, url: str, court: str) -> None:
    page = fetch(bundled, url)
    assert page.text_of(".facts dd:nth-of-type(2)") == court
    assert "The full text is in the court's collection document" in page.text_of(".notice")


def test_li_v_shaoxing_xinrong_in_both_languages(bundled) -> None:
    english = fetch(
        bundled, "/en/cases/2020-difficult-enforcement/02-li-v-shaoxing-xinrong-petty-loan/"
    )
    assert english.text_of(".facts dd:nth-of-type(3)") == "Dispute over private lending"
    chinese = fetch(
        bundled, "/zh/cases/2020-difficult-enforcement/02-li-v-shaoxing-xinrong-petty-loan/"
    )
    assert "绍兴" in chinese.text_of("h1")
    assert chinese.text_of(".facts dd:nth-of-type(2)") == "上海市第一中级人民法院"
    assert chinese.text_of(".facts dd:nth-of-type(3)") == "民间借贷纠纷"


def test_the_release_links_its_three_collections(bundled) -> None:
    for lang in ("en", "zh"):
        page = fetch(bundled, RELEASE.format(lang=lang))
        assert len(page.html.select(".released-collections a")) == 3


def test_the_vocabulary_covers_every_shanghai_court_and_the_named_measures() -> None:
    vocabulary = yaml.safe_load((ROOT / "cases/vocabulary.yaml").read_text(encoding="utf-8"))
    districts = {key for key in vocabulary["courts"] if key.endswith(("-district", "-new-area"))}
    assert len(districts) == 16
    assert {"shanghai-high", "shanghai-no1-intermediate", "shanghai-no2-intermediate",
            "shanghai-no3-intermediate", "shanghai-financial", "shanghai-maritime",
            "shanghai-railway-transport", "shanghai-ip"} <= set(vocabulary["courts"])  # fmt: skip
    assert {"fine", "detention", "compulsory-search", "exit-restriction", "consumption-restriction",
            "dishonest-debtor-list", "online-property-investigation", "judicial-auction",
            "refusal-to-enforce-crime", "wage-advance-payment", "judicial-assistance",
            "mobile-enforcement"} <= set(vocabulary["measures"])  # fmt: skip
