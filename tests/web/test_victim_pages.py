"""Victim notices as readers see them: the list, one case's notice and payout figures, in both
languages, the seed release's figures linked to their sentence, the feed and the site map."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import pytest
from flask import Flask

from portal.web.db import database_engine
from tests.support.pagecheck import fetch
from tests.support.site import SiteBuilder, build_bundled_site

NOTICE = "/{lang}/victims/demo-2026-01/"


@pytest.fixture
def bundled(database_url: str):
    app = build_bundled_site(database_url)
    yield app.test_client()
    database_engine(app).dispose()


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", ["Demonstration", "18.42915 %", "636,950,019.89 yuan", "17,892 people",
                "never asks for a fee or your bank password", "Supplementary round 1"]),
        ("zh", ["演示", "18.42915 %", "636,950,019.89 元", "17,892人",
                "绝不会向您收取费用或索要银行密码", "第1次补充发还"]),
    ],
)  # fmt: skip
def test_the_demonstration_notice_shows_its_rules_and_payout_table(
    bundled, lang: str, words: list[str]
) -> None:
    page = fetch(bundled, NOTICE.format(lang=lang))
    text = page.html.get_text(" ", strip=True)
    for word in words:
        assert word in text
    assert page.html.select("table.figures__table tbody tr")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_list_links_the_notice_and_the_seed_sentence_of_each_figure(bundled, lang) -> None:
    page = fetch(bundled, f"/{lang}/victims/")
    assert page.html.select_one(f'a[href="{NOTICE.format(lang=lang)}"]') is not None
    figures = page.text_of("#platform-heading + ul")
    for figure in (
        ("35,000", "18,000", "RMB 500 million") if lang == "en" else ("35,000", "18,000", "5亿元")
    ):
        assert figure in figures
    sources = {a["href"] for a in page.html.select("#platform-heading + ul a")}
    assert len(sources) == 1
    release, anchor = sources.pop().split("#")
    assert release.startswith(f"/{lang}/press/")  # the release in the page's language
    paragraph = fetch(bundled, release).html.find(id=anchor)
    quoted = "在线登记确认被害人信息3.5万余名" if lang == "zh" else "more than 35,000 victims'"
    assert quoted in paragraph.get_text()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_no_link_of_the_victim_pages_is_broken(bundled, lang: str) -> None:
    for url in (f"/{lang}/victims/", NOTICE.format(lang=lang)):
        for link in fetch(bundled, url).html.select("a[href^='/']"):
            target = urlsplit(link["href"]).path
            assert bundled.get(target).status_code != 404, f"{url} links {target}"


def test_the_feed_and_the_site_map_carry_the_notice(bundled) -> None:
    feed = bundled.get("/feeds/zh/victims.atom").get_data(as_text=True)
    assert "演示：示例财富有限公司集资诈骗案被害人登记公告" in feed
    assert "/zh/victims/demo-2026-01/" in feed
    sitemap = bundled.get("/sitemap.xml").get_data(as_text=True)
    assert "/en/victims/demo-2026-01/" in sitemap
    assert "/zh/victims/" in sitemap
    assert 'href="/feeds/en/victims.atom"' in bundled.get("/en/victims/").get_data(as_text=True)


def test_a_draft_or_scheduled_notice_stays_out_of_every_page(
    make_app, site: SiteBuilder, database_url: str
) -> None:
    site.standard()
    site.victim_notice("drafted", title="Draftmarker notice", draft=True)
    later = dt.date.today() + dt.timedelta(days=30)
    site.victim_notice("scheduled", title="Schedmarker notice", publish_on=later)
    client = make_app(database_url).test_client()
    assert client.get("/en/victims/drafted/").status_code == 404
    assert client.get("/en/victims/scheduled/").status_code == 404
    listing = fetch(client, "/en/victims/").response.get_data(as_text=True)
    assert "Draftmarker" not in listing
    assert "Schedmarker" not in listing
    assert "Draftmarker" not in client.get("/feeds/en/victims.atom").get_data(as_text=True)
    assert "/victims/drafted/" not in client.get("/sitemap.xml").get_data(as_text=True)


def test_a_notice_in_one_language_is_not_found_in_the_other(
    make_app, site: SiteBuilder, sqlite_url: str
) -> None:
    site.standard().victim_notice("only-english")
    app: Flask = make_app(sqlite_url)
    client = app.test_client()
    fetch(client, "/en/victims/only-english/")
    assert client.get("/zh/victims/only-english/").status_code == 404
    assert client.get("/en/victims/no-such-case/").status_code == 404
