"""The portal's first press release, as a reporter reads it, in English and in Chinese."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from portal import create_app
from portal.database import upgrade_schema
from portal.flask_db import session_factory
from portal.loading import load_content
from tests.pagecheck import fetch

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent / "shared/seeds/press-release-2021-01-15-enforcement-work-2020.txt"
RELEASE = "/{lang}/press/2021/enforcement-work-2020/"
# The figures reporters quote, as the English and the Chinese versions write them.
FIGURES = {
    "en": ["161,600", "162,100", "RMB 37.894 billion", "7.68%", "7.56%", "15,587", "3,475",
           "28 cases", "208 people", "1,315 people", "RMB 369 million", "35,000", "RMB 500 million",
           "18,000"],
    "zh": ["16.16万件", "16.21万件", "378.94亿元", "7.68%", "7.56%", "15587人", "3475份", "28件",
           "208人", "1315人", "3.69亿元", "3.5万", "5亿", "1.8万"],
}  # fmt: skip


def build_bundled_site(database_url: str) -> Flask:
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "CONTENT_DIR": str(ROOT / "content"),
            "CASES_DIR": str(ROOT / "cases"),
        }
    )
    upgrade_schema(session_factory(app).kw["bind"])
    load_content(session_factory(app), ROOT / "content", ROOT / "cases")
    return app


@pytest.fixture
def bundled(database_url: str):
    app = build_bundled_site(database_url)
    yield app.test_client()
    session_factory(app).kw["bind"].dispose()


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
    if not SEED.exists():
        pytest.skip(f"the seed is not beside the checkout: {SEED}")
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
