"""Identity numbers stay out of search: a search holding one is not run, echoed, logged or put
into any URL, title or link; the page points to the debtor lookup; search answers are noindex."""

from __future__ import annotations

import logging
import urllib.parse
from pathlib import Path

import pytest
from flask import Flask

from portal.search.service import rebuild_search_index
from portal.text.identity_numbers import holds_identity_number
from portal.web.db import session_factory
from tests.support.debtorfiles import credit_code, resident_id
from tests.support.pagecheck import fetch
from tests.support.site import SiteBuilder

NUMBER = resident_id()
TYPED = {
    "resident ID": f"张伟 {NUMBER}",
    "resident ID, grouped": f"{NUMBER[:6]} {NUMBER[6:14]} {NUMBER[14:]} lending",
    "old resident ID": "110105491231002",
    "credit code": f"{credit_code()} 公司",
}
NOTICE = {
    "en": "Such numbers are not searched here",
    "zh": "本站搜索不查询此类号码",
}


@pytest.fixture
def search_app(make_app, site: SiteBuilder, sqlite_url: str) -> Flask:
    site.standard().standard_cases()
    app = make_app(sqlite_url)
    rebuild_search_index(session_factory(app), Path(app.config["INDEX_DIR"]))
    return app


def traces(typed: str) -> list[str]:
    """The forms in which what was typed could appear in a page or a URL."""
    compact = "".join(typed.split())
    return [typed, compact, urllib.parse.quote_plus(typed), urllib.parse.quote(typed),
            *(word for word in typed.split() if len(word) >= 6 and not word.isalpha())]  # fmt: skip


def assert_nothing_of(typed: str, text: str) -> None:
    for trace in traces(typed):
        assert trace not in text, trace
    assert not holds_identity_number(urllib.parse.unquote_plus(text))


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("typed", TYPED.values(), ids=TYPED.keys())
def test_a_number_typed_into_search_is_neither_echoed_nor_logged(
    search_app: Flask, lang: str, typed: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    client = search_app.test_client()
    url = f"/{lang}/search/?" + urllib.parse.urlencode({"q": typed, "scope": "all"})
    answer = client.get(url)
    assert answer.status_code == 303
    assert answer.headers["Cache-Control"] == "no-store"
    assert answer.headers["X-Robots-Tag"] == "noindex"
    location = answer.headers["Location"]
    assert location == f"/{lang}/search/?scope=all&withheld=number"  # other choices kept
    assert_nothing_of(typed, answer.get_data(as_text=True))

    page = fetch(client, location)
    body = page.response.get_data(as_text=True)
    assert_nothing_of(typed, body)  # the title, the headings, the form, every link
    assert_nothing_of(typed, page.text_of("title"))
    for element in page.html.select("[href], [action], [src], [value]"):
        for attribute in ("href", "action", "src", "value"):
            assert_nothing_of(typed, element.get(attribute, ""))
    assert page.html.select_one("#search-query").get("value", "") == ""
    assert NOTICE[lang] in page.text_of("#search-number-withheld")
    assert page.html.select_one(f"#search-number-withheld a[href='/{lang}/debtors/']")
    feed = page.html.select_one("link[type='application/atom+xml']")["href"]
    assert feed == f"/{lang}/search/feed.atom?scope=all"
    assert page.response.headers["X-Robots-Tag"] == "noindex"

    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert_nothing_of(typed, logged)


@pytest.mark.parametrize(
    "url",
    [f"/en/search?q={NUMBER}",  # without the slash: no slash redirect carries it on
     f"/en/search/?q=lending&court={NUMBER}",  # in a filter, which the page would show
     f"/en/search/?q=lending&page=2&{NUMBER}=1"],  # as a parameter's name
)  # fmt: skip
def test_a_number_anywhere_in_the_query_string_is_withheld(search_app: Flask, url: str) -> None:
    answer = search_app.test_client().get(url)
    assert answer.status_code == 303
    assert NUMBER not in answer.headers["Location"]
    assert "withheld=number" in answer.headers["Location"]


def test_the_feed_of_a_search_with_a_number_is_not_built(search_app: Flask) -> None:
    answer = search_app.test_client().get(f"/en/search/feed.atom?q={NUMBER}")
    assert answer.status_code == 303
    assert answer.headers["Location"] == "/en/search/?withheld=number"
    assert answer.headers["Cache-Control"] == "no-store"


def test_the_api_refuses_a_search_with_a_number_without_echoing_it(search_app: Flask) -> None:
    answer = search_app.test_client().get(f"/api/v1/search?q=lending+{NUMBER}&lang=en")
    assert (answer.status_code, answer.mimetype) == (422, "application/problem+json")
    assert answer.get_json()["parameters"] == ["q"]
    assert "/api/v1/debtors/lookup" in answer.get_json()["detail"]
    assert_nothing_of(NUMBER, answer.get_data(as_text=True))
    assert answer.headers["Cache-Control"] == "no-store"
    assert answer.headers["X-Robots-Tag"] == "noindex"


@pytest.mark.parametrize(
    "url", ["/en/search/?q=lending", "/zh/search/", "/en/search/feed.atom?q=lending",
            "/api/v1/search?q=lending"],
)  # fmt: skip
def test_every_search_answer_says_noindex_and_may_still_be_cached(
    search_app: Flask, url: str
) -> None:
    answer = search_app.test_client().get(url)
    assert answer.status_code == 200
    assert answer.headers["X-Robots-Tag"] == "noindex"
    assert answer.headers["Cache-Control"] == "public, max-age=60"


def test_an_ordinary_search_with_numbers_in_it_is_run(search_app: Flask) -> None:
    page = fetch(search_app.test_client(), "/en/search/?q=2020+208")
    assert "withheld" not in page.response.get_data(as_text=True)
    assert page.html.select_one("#search-query")["value"] == "2020 208"
