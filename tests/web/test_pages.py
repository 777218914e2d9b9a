"""The public pages in both languages: what a reader sees, and the markup every page keeps."""

from __future__ import annotations

from urllib.parse import urldefrag, urlsplit

import pytest
from bs4 import BeautifulSoup
from flask import Flask

from portal.web.db import database_engine
from portal.web.security import CONTENT_SECURITY_POLICY
from tests.support.pagecheck import fetch
from tests.support.site import SiteBuilder, build_bundled_site

STANDARD_PAGES = [
    "/en/", "/zh/", "/en/press/", "/zh/press/", "/en/press/2021/", "/zh/press/2020/",
    "/en/press/2021/annual-report/", "/zh/press/2021/annual-report/",
    "/en/press/2020/older-news/", "/en/about/", "/zh/about/", "/en/licence/", "/zh/licence/",
]  # fmt: skip


@pytest.mark.parametrize("url", STANDARD_PAGES)
def test_every_page_kind_is_valid_and_carries_the_security_headers(fetch_page, url: str) -> None:
    page = fetch_page(url)
    headers = page.response.headers
    assert "'unsafe-inline'" not in headers["Content-Security-Policy"]
    assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "Strict-Transport-Security" not in headers  # plain HTTP here
    assert page.html.find("link", rel="canonical")["href"] == f"https://portal.example.test{url}"


def test_the_chinese_pages_are_marked_as_simplified_chinese(fetch_page) -> None:
    page = fetch_page("/zh/")
    assert page.html.find("html")["lang"] == "zh-Hans"
    assert page.text_of("h1") == "执行公开平台"
    assert "Skip to main content" not in page.response.get_data(as_text=True)


def test_hsts_is_sent_over_https(client) -> None:
    response = client.get("/en/", base_url="https://portal.example.test")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=63072000")


def test_the_root_sends_visitors_to_the_language_their_browser_prefers(client) -> None:
    to_chinese = client.get("/", headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"})
    assert (to_chinese.status_code, to_chinese.location) == (302, "/zh/")
    assert "Accept-Language" in to_chinese.headers["Vary"]
    to_english = client.get("/", headers={"Accept-Language": "fr-FR,en;q=0.4"})
    assert to_english.location == "/en/"
    assert client.get("/").location == "/en/"


def test_the_home_page_shows_the_latest_releases_in_its_language(fetch_page) -> None:
    page = fetch_page("/zh/")
    titles = [a.get_text() for a in page.html.select(".release-item__title a")]
    # The Chinese version where one exists; the English-only release in English, marked so.
    assert titles == ["年度报告", "Release older-news (en)"]
    only_english = page.html.select(".release-item")[1]
    assert only_english["lang"] == "en"
    assert "仅有English版" in only_english.get_text()
    assert only_english.find("a")["href"] == "/en/press/2020/older-news/"


def test_the_home_page_offers_search_before_anything_else(fetch_page) -> None:
    for lang in ("en", "zh"):
        page = fetch_page(f"/{lang}/")
        main = page.html.find("main")
        first_form = main.find("form")
        assert first_form["role"] == "search"
        assert first_form.find_previous("h2") is None  # above every section of the page


def test_a_release_links_to_its_translation(fetch_page) -> None:
    page = fetch_page("/en/press/2021/annual-report/")
    alternates = {
        link["hreflang"]: link["href"] for link in page.html.find_all("link", rel="alternate")
    }
    assert alternates == {
        "en": "https://portal.example.test/en/press/2021/annual-report/",
        "zh-Hans": "https://portal.example.test/zh/press/2021/annual-report/",
    }
    switch = page.html.select_one(".language-switch a[hreflang='zh-Hans']")
    assert switch["href"] == "/zh/press/2021/annual-report/"
    assert page.text_of(".release__translation-link") == "Read this press release in 中文"
    assert page.text_of(".notice").startswith("For reference. ")
    assert page.html.select_one("time")["datetime"] == "2021-01-15"


def test_a_sample_translation_says_so(fetch_page) -> None:
    page = fetch_page("/zh/press/2021/annual-report/")
    assert "本译文为本平台制作的示例译文" in page.text_of(".notice")
    assert page.text_of(".release__meta") == "2021年1月15日"


def test_both_versions_name_the_same_authoritative_text(fetch_page) -> None:
    """The Chinese version is the portal's sample translation: both notices say that the court's
    Chinese original prevails, and neither that the portal's Chinese page does."""
    english = fetch_page("/en/press/2021/annual-report/").text_of(".release__authoritative")
    chinese = fetch_page("/zh/press/2021/annual-report/").text_of(".release__authoritative")
    assert english == (
        "The authoritative text is the court's Chinese original on its website; the Chinese "
        "version on this portal is a sample translation made for the portal."
    )
    assert (
        chinese
        == "以法院在其官方网站发布的中文原文为准；本门户的中文版本是为本门户制作的示例译文。"
    )
    assert fetch_page("/en/press/2020/older-news/").html.select(".release__authoritative") == []


def test_a_release_without_translation_has_no_alternates(fetch_page) -> None:
    page = fetch_page("/en/press/2020/older-news/")
    assert page.html.find_all("link", rel="alternate") == []
    assert page.html.select_one(".language-switch__missing").get_text(strip=True).startswith("中文")
    fetch_page("/zh/press/2020/older-news/", status=404)


def test_the_press_list_is_newest_first_grouped_by_year(fetch_page) -> None:
    page = fetch_page("/en/press/")
    assert [h.get_text() for h in page.html.select(".release-year h2")] == ["2021", "2020"]
    year_links = [a.get_text(" ", strip=True) for a in page.html.select(".year-nav a")]
    assert year_links == ["2021 (1)", "2020 (1)"]


def test_the_press_list_is_paginated(make_app, site: SiteBuilder, sqlite_url: str) -> None:
    for number in range(1, 8):
        site.release(
            2019 + number % 3, f"release-{number}", date=f"{2019 + number % 3}-03-{number:02d}"
        )
    site.release(2018, "hidden", draft=True)
    client = make_app(sqlite_url, PRESS_PAGE_SIZE=3).test_client()
    first = fetch(client, "/en/press/")
    assert first.html.select_one(".pagination a[rel='next']")["href"] == "/en/press/page/2/"
    assert first.html.select_one(".pagination a[rel='prev']") is None
    last = fetch(client, "/en/press/page/3/")
    assert last.html.select_one(".pagination a[rel='next']") is None
    dates = [
        time["datetime"]
        for url in ("/en/press/", "/en/press/page/2/", "/en/press/page/3/")
        for time in fetch(client, url).html.select(".release-item time")
    ]
    assert len(dates) == 7
    assert dates == sorted(dates, reverse=True)
    assert client.get("/en/press/page/4/").status_code == 404
    assert client.get("/en/press/page/0/").status_code == 404
    assert client.get("/en/press/2021/page/2/").status_code == 404  # 2021 has 2 releases
    assert client.get("/en/press/2021/").status_code == 200
    assert client.get("/en/press/2018/").status_code == 404  # only a draft
    assert client.get("/en/press/1999/").status_code == 404


def test_attachments_are_listed_with_type_and_size_and_downloadable(
    make_app, site: SiteBuilder, sqlite_url: str
) -> None:
    (site.content / "press/2021/attachments").mkdir(parents=True)
    (site.content / "press/2021/attachments/cases.pdf").write_bytes(b"%PDF" + b"0" * 3068)
    site.release(2021, "report", attachments=[
        {"file": "attachments/cases.pdf", "title": "Ten typical cases"},
        {"title": "A document held by the court"},
    ])  # fmt: skip
    client = make_app(sqlite_url).test_client()
    html = fetch(client, "/en/press/2021/report/").response.get_data(as_text=True)
    assert 'href="/files/press/2021/attachments/cases.pdf" type="application/pdf"' in html
    assert "(PDF, 3 KB)" in html
    assert "The document is not published on this portal" in html
    download = client.get("/files/press/2021/attachments/cases.pdf")
    assert download.status_code == 200
    assert download.mimetype == "application/pdf"
    assert download.data.startswith(b"%PDF")
    assert download.headers["X-Content-Type-Options"] == "nosniff"


def test_only_published_attachments_are_served(client) -> None:
    assert client.get("/files/press/2021/annual-report.en.md").status_code == 404
    assert client.get("/files/../pyproject.toml").status_code == 404


def test_about_and_licence_pages(fetch_page) -> None:
    assert fetch_page("/en/about/").text_of("h1") == "Page about (en)"
    licence = fetch_page("/zh/licence/")
    assert licence.text_of("h1") == "Page licence (zh)"
    assert licence.html.select_one(".main-nav a[aria-current]") is None


def test_a_missing_page_gets_the_designed_404_in_its_language(fetch_page) -> None:
    page = fetch_page("/zh/no-such-page/", status=404)
    assert page.text_of("h1") == "页面不存在"
    assert page.html.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert fetch_page("/fr/", status=404).html.find("html")["lang"] == "en"
    assert fetch_page("/en/press/1999/nothing/", status=404).text_of("h1") == "Page not found"


def test_an_unexpected_error_gets_the_designed_500_page(app: Flask, fetch_page, caplog) -> None:
    def broken_view(lang: str):
        raise RuntimeError("the database went away")

    app.add_url_rule("/<lang:lang>/broken/", "broken", broken_view)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    page = fetch_page("/zh/broken/", status=500)
    assert page.text_of("h1") == "出错了"
    assert "the database went away" not in page.response.get_data(as_text=True)
    assert "the database went away" in caplog.text  # logged for the operators


def test_the_main_navigation_marks_the_current_area(fetch_page) -> None:
    page = fetch_page("/en/press/2021/annual-report/")
    assert page.text_of(".main-nav a[aria-current='page']") == "Press releases"
    assert fetch_page("/en/").text_of(".main-nav a[aria-current='page']") == "Home"


def test_the_site_sets_no_cookie_and_serves_its_own_assets(client, fetch_page) -> None:
    assert "Set-Cookie" not in client.get("/").headers
    page = fetch_page("/en/")
    for link in page.html.find_all("link", rel=["stylesheet", "icon"]):
        asset = client.get(link["href"])
        assert asset.status_code == 200, link["href"]
        assert "Set-Cookie" not in asset.headers


def test_markup_in_content_is_escaped_in_titles_and_summaries(
    make_app, site: SiteBuilder, sqlite_url: str
) -> None:
    site.release(
        2021, "xss", title="<script>alert(1)</script>", summary='"><img src=x onerror=alert(2)>'
    )
    client = make_app(sqlite_url).test_client()
    html = fetch(client, "/en/press/2021/xss/").response.get_data(as_text=True)
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img src=x" not in html


def test_no_page_of_the_bundled_site_links_to_a_missing_page(database_url: str) -> None:
    """Every link from page to page of the shipped content, followed from both home pages:
    nothing promises a page that is not there (such as a measure no case has)."""
    app = build_bundled_site(database_url)
    client = app.test_client()
    seen, queue, broken = set(), ["/en/", "/zh/"], []
    while queue:
        url = queue.pop()
        response = client.get(url)
        if response.status_code >= 400:
            broken.append((url, response.status_code))
        if response.mimetype != "text/html":
            continue
        for link in BeautifulSoup(response.get_data(as_text=True), "html.parser").find_all("a"):
            target = urldefrag(link.get("href", ""))[0]
            # The search answers any query (it has no index here); other sites are not ours.
            if not target.startswith("/") or "/search" in urlsplit(target).path:
                continue
            if target not in seen:
                seen.add(target)
                queue.append(target)
    database_engine(app).dispose()
    assert len(seen) > 100
    assert broken == []
