"""Search in English and Chinese: the index, the query language, the page, the API and the
index's life (rebuild, swap, update, lock, damage)."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from pathlib import Path

import feedparser
import pytest
from flask import Flask, url_for
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from whoosh import index as whoosh_index

from portal.db import queries
from portal.db.court_day import court_today
from portal.db.load import load_content
from portal.search.index import (
    IndexCheckFailed,
    IndexLocked,
    current_index_dir,
    rebuild,
    writer_lock,
)
from portal.search.query import MAX_QUERY_CHARS, SearchRequest, parse_query
from portal.search.searcher import SearchIndex
from portal.search.service import rebuild_search_index, update_search_index
from portal.text.characters import UNUSABLE
from portal.web.blueprints.search import _search_url
from portal.web.db import database_engine, session_factory
from tests.support.pagecheck import fetch
from tests.support.site import SiteBuilder, build_bundled_site


def index_root(app: Flask) -> Path:
    return Path(app.config["INDEX_DIR"])


@pytest.fixture
def search_app(indexed_app: Callable[[str], Flask], sqlite_url: str) -> Flask:
    """The indexed search site, on SQLite: these tests are of the index, not the database."""
    return indexed_app(sqlite_url)


def answers(root: Path, request: SearchRequest) -> list[str]:
    """The titles found, the same with Whoosh's searcher and with the array evaluator."""
    found = [
        [hit.title for hit in SearchIndex(root, evaluator).search(request).hits]
        for evaluator in ("whoosh", "arrays")
    ]
    assert found[0] == found[1]
    return found[0]


def titles(app: Flask, text: str, lang: str = "en", **options) -> list[str]:
    return answers(index_root(app), SearchRequest(text=text, lang=lang, **options))


@pytest.fixture(scope="module")
def bundled_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped content, indexed once for the module."""
    folder = tmp_path_factory.mktemp("bundled")
    app = build_bundled_site(f"sqlite:///{folder / 'portal.sqlite3'}")
    rebuild_search_index(session_factory(app), folder / "index")
    database_engine(app).dispose()
    return folder / "index"


def shipped(root: Path, text: str, lang: str) -> list[str]:
    return answers(root, SearchRequest(text=text, lang=lang))


def test_private_lending_puts_li_v_shaoxing_xinrong_first(bundled_index: Path) -> None:
    assert shipped(bundled_index, "private lending", "en")[0] == (
        "Li v. Shaoxing Xinrong Petty Loan Co., Ltd (dispute over private lending)"
    )


def test_the_chinese_cause_finds_the_chinese_version(bundled_index: Path) -> None:
    found = shipped(bundled_index, "民间借贷纠纷", "zh")
    assert found[0] == "李某诉绍兴市信融小额贷款有限公司民间借贷纠纷案"


def test_traditional_chinese_finds_what_simplified_finds(bundled_index: Path) -> None:
    simplified = shipped(bundled_index, "民间借贷", "zh")
    assert simplified
    assert shipped(bundled_index, "民間借貸", "zh") == simplified


def test_a_stemmed_english_query_finds_what_its_base_form_finds(bundled_index) -> None:
    assert shipped(bundled_index, "detained", "en")
    assert shipped(bundled_index, "detain", "en") == shipped(bundled_index, "detained", "en")
    assert shipped(bundled_index, "lend", "en") == shipped(bundled_index, "lending", "en")


def test_a_quoted_chinese_phrase_is_found(search_app: Flask) -> None:
    assert titles(search_app, '"失信被执行人"', "zh") == ["年度报告"]
    assert titles(search_app, '"被执行人失信"', "zh") == []  # the words, but not in this order


def test_a_word_inside_a_longer_word_is_found(search_app: Flask) -> None:
    # jieba keeps 最高人民法院 as one word; the character bigrams still find 人民法院 in it.
    assert "年度报告" in titles(search_app, "人民法院", "zh")


def test_an_english_phrase_must_appear_in_order(search_app: Flask) -> None:
    assert titles(search_app, '"detained 208"') == ["Detention figures"]
    assert titles(search_app, '"208 detained"') == []


def test_a_minus_excludes_a_word(search_app: Flask) -> None:
    both = titles(search_app, "lending")
    assert "Detention figures" in both
    assert "Detention figures" not in titles(search_app, "lending -detained")


def test_facets_count_and_narrow(search_app: Flask) -> None:
    search = SearchIndex(index_root(search_app))
    everything = search.search(SearchRequest(lang="en"))
    assert dict(everything.facets["kind"]) == {"case": 3, "press": 3}
    assert dict(everything.facets["court"]) == {
        "minhang-district": 2,
        "shanghai-no1-intermediate": 1,
    }
    assert dict(everything.facets["measure"]) == {"fine": 2, "detention": 1}
    narrowed = search.search(SearchRequest(lang="en", filters={"measure": "detention"}))
    assert [hit.title for hit in narrowed.hits] == ["Case 01-zhang (en)"]
    assert dict(narrowed.facets["court"]) == {"minhang-district": 1}
    both = search.search(SearchRequest(lang="en", both_languages=True, filters={"kind": "case"}))
    assert dict(both.facets["language"]) == {"en": 3, "zh": 3}


def test_highlighted_snippets_escape_html(search_app: Flask) -> None:
    results = SearchIndex(index_root(search_app)).search(SearchRequest(text="bold", lang="en"))
    snippet = str(results.hits[0].snippet)
    assert "<mark>bold</mark>" in snippet
    assert "&lt;b&gt;" in snippet
    assert "<b>" not in snippet


def test_a_misspelt_english_word_gets_a_suggestion(search_app: Flask) -> None:
    results = SearchIndex(index_root(search_app)).search(SearchRequest(text="lendng", lang="en"))
    assert results.total == 0
    assert results.suggestion == "lending"


def test_sorting_by_date_puts_the_newest_first(search_app: Flask) -> None:
    dated = SearchIndex(index_root(search_app)).search(
        SearchRequest(text="", lang="en", sort="date", filters={"kind": "press"})
    )
    assert [hit.title for hit in dated.hits] == [
        "Release annual-report (en)",
        "Detention figures",
        '=HYPERLINK("x") sheet',
    ]


@pytest.mark.parametrize(
    ("raw", "include", "exclude"),
    [
        ('private "dishonest persons" -fine', ("private", "dishonest persons"), ("fine",)),
        ("*", (), ()),
        ('NOT OR x "unbalanced (', ("NOT", "OR", "x", "unbalanced ("), ()),
        ("title:secret body:*", ("title:secret", "body:*"), ()),
        ("a\x00b\x1fc", ("a", "b", "c"), ()),
        ("-", (), ()),
    ],
)
def test_the_query_language_is_small(raw: str, include: tuple, exclude: tuple) -> None:
    parsed = parse_query(raw)
    assert (parsed.include, parsed.exclude) == (include, exclude)


def test_field_syntax_never_reaches_whoosh(search_app: Flask) -> None:
    # "kind:press" is just words here; it matches nothing rather than filtering.
    assert titles(search_app, "kind:press") == []


def test_a_long_query_is_cut_and_says_so() -> None:
    parsed = parse_query("lending " * 2000)
    assert parsed.shortened
    assert len(parsed.text) <= MAX_QUERY_CHARS


def test_the_search_page_shows_results_facets_and_a_suggestion(search_app: Flask) -> None:
    client = search_app.test_client()
    page = fetch(client, "/en/search/?q=lending")
    # The release that says "lending", and the two cases whose cause is private lending.
    assert "3 results for “lending”" in page.text_of(".results-count")
    links = [a["href"] for a in page.html.select(".search-result__title a")]
    assert "/en/press/2020/older-news/" in links
    facet = page.html.select_one(".facet a")
    assert facet["href"].startswith("/en/search/?q=lending&")
    misspelt = fetch(client, "/en/search/?q=lendng")
    assert misspelt.html.select_one(".suggestion a")["href"] == "/en/search/?q=lending"


def test_a_filter_narrows_the_page_and_can_be_removed(search_app: Flask) -> None:
    client = search_app.test_client()
    page = fetch(client, "/en/search/?court=shanghai-no1-intermediate")
    assert [a.get_text() for a in page.html.select(".search-result__title a")] == [
        "Case 02-li (en)"
    ]
    assert page.html.select_one(".active-filters a")["href"] == "/en/search/"


def test_an_empty_query_shows_the_facets_over_everything(search_app: Flask) -> None:
    page = fetch(search_app.test_client(), "/zh/search/")
    assert page.html.select_one(".facets")
    assert "2020年" in page.text_of(".facets")
    assert len(page.html.select(".search-result")) == 4  # everything in Chinese


def test_the_search_page_paginates(search_app: Flask) -> None:
    search_app.config["SEARCH_PAGE_SIZE"] = 4
    client = search_app.test_client()
    first = fetch(client, "/en/search/?q=&scope=all")
    next_link = first.html.select_one(".pagination a[rel='next']")["href"]
    assert "page=2" in next_link
    assert "scope=all" in next_link
    second = fetch(client, next_link)
    assert second.html.select_one("ol.search-results")["start"] == "5"


def test_the_api_returns_the_same_as_json(search_app: Flask) -> None:
    response = search_app.test_client().get("/api/v1/search?q=lending&lang=en")
    assert response.status_code == 200
    data = response.get_json()
    assert data["total"] == 3
    assert "https://portal.example.test/en/press/2020/older-news/" in {
        r["url"] for r in data["results"]
    }
    assert data["facets"]["kind"] == {"case": 2, "press": 1}


def test_the_api_refuses_a_bad_search_parameter_by_name(search_app: Flask) -> None:
    response = search_app.test_client().get("/api/v1/search?q=x&court=atlantis")
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["parameter"] == "court"


# Any text a query string can carry (lone surrogates cannot be encoded, by either builder).
_LINK_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=20)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    params=st.dictionaries(st.sampled_from(["q", "scope", "sort", "court", "year"]), _LINK_TEXT,
                           max_size=4),
    changes=st.dictionaries(st.sampled_from(["q", "court", "kind", "page"]),
                            st.none() | _LINK_TEXT, max_size=3),
)  # fmt: skip
def test_a_search_link_reads_as_url_for_writes_it(app: Flask, params: dict, changes: dict) -> None:
    # The page's facet and filter links are its path plus a query built here, not url_for's.
    for lang in ("en", "zh"):
        with app.test_request_context(f"/{lang}/search/"):
            kept = {
                name: value for name, value in {**params, **changes}.items() if value is not None
            }
            page = url_for("search.index", lang=lang)
            expected = url_for("search.index", lang=lang, **kept)
            assert _search_url(page, params, **changes) == expected


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    q=st.text(max_size=300),
    extra=st.dictionaries(
        st.sampled_from(["scope", "sort", "page", "court", "language", "year", "kind", "measure"]),
        st.text(max_size=30),
        max_size=4,
    ),
)
def test_no_query_causes_a_server_error(search_app: Flask, q: str, extra: dict) -> None:
    client = search_app.test_client()
    params = {"q": q, **extra}
    safe = {k: v.encode("utf-8", "replace").decode("utf-8") for k, v in params.items()}
    # A control character or the like is refused with 400 (portal/web/inputs.py).
    page = 400 if any(UNUSABLE.search(k + v) for k, v in safe.items()) else 200
    assert client.get("/en/search/", query_string=safe).status_code == page
    assert client.get("/api/v1/search", query_string=safe).status_code in (200, 400)


@pytest.mark.parametrize(
    "raw",
    [b"q=%ED%A0%80", b"q=%FF%FE", b"q=" + b"a" * 10000, b"q=%22%28%29NOT+OR+x", b"page=-1&q=x",
     b"q=*", b"page=%C2%B2&q=x", b"page=" + b"9" * 5000],
)  # fmt: skip
def test_malformed_query_strings_give_a_page(search_app: Flask, raw: bytes) -> None:
    query_string = raw.decode("latin-1")  # as the bytes arrive, however invalid as UTF-8
    response = search_app.test_client().get(
        "/en/search/", environ_overrides={"QUERY_STRING": query_string}, follow_redirects=True
    )
    # 5,000 digits hold the shape of an ID number: withheld by a 303, then a page all the same.
    assert response.status_code == 200


def test_a_query_holding_a_control_character_is_refused_naming_it(search_app: Flask) -> None:
    response = search_app.test_client().get("/en/search/?q=%00%01%02")
    assert response.status_code == 400
    assert "“q” holds a character no text may hold" in response.get_data(as_text=True)


def test_readers_keep_getting_answers_while_the_index_is_rebuilt(search_app: Flask) -> None:
    search = SearchIndex(index_root(search_app))
    failures: list[BaseException] = []
    answers: list[int] = []
    stop = threading.Event()

    def keep_searching() -> None:
        while not stop.is_set():
            try:
                answers.append(search.search(SearchRequest(text="lending", lang="en")).total)
            except BaseException as error:  # any failure is the test's finding
                failures.append(error)

    reader = threading.Thread(target=keep_searching)
    reader.start()
    try:
        for _ in range(3):
            rebuild_search_index(session_factory(search_app), index_root(search_app))
    finally:
        stop.set()
        reader.join()
    assert failures == []
    assert answers
    assert set(answers) == {3}


def test_a_failed_build_leaves_the_old_index_serving(search_app: Flask) -> None:
    root = index_root(search_app)
    before = current_index_dir(root)

    def failing_check(directory: Path) -> None:
        raise IndexCheckFailed("the new index is short of documents")

    with pytest.raises(IndexCheckFailed):
        rebuild(root, [], failing_check)
    assert current_index_dir(root) == before
    assert [p for p in root.iterdir() if p.name.startswith("index-")] == [before]
    assert titles(search_app, "lending")


def test_only_one_writer_at_a_time(search_app: Flask) -> None:
    root = index_root(search_app)
    with writer_lock(root), pytest.raises(IndexLocked, match="is being written by process"):
        rebuild_search_index(session_factory(search_app), root)


def test_loading_updates_the_index_and_purges_deleted_documents(
    search_app: Flask, site: SiteBuilder
) -> None:
    site.release(2020, "older-news", "en", date="2020-06-01", title="Renamed figures",
                 body="Nothing about money.")  # fmt: skip
    (site.content / "press/2021/annual-report.zh.md").unlink()
    report = load_content(session_factory(search_app), site.content, site.cases)
    message = update_search_index(session_factory(search_app), index_root(search_app), report)
    assert message == "search index: 1 updated, 1 removed"
    assert titles(search_app, "renamed") == ["Renamed figures"]
    assert titles(search_app, "bold") == []
    assert titles(search_app, "失信被执行人", "zh") == []
    index = whoosh_index.open_dir(str(current_index_dir(index_root(search_app))))
    assert index.doc_count_all() == index.doc_count()  # nothing left merely marked deleted


def test_drafts_and_scheduled_items_are_not_indexed_until_published(
    search_app: Flask, site: SiteBuilder, monkeypatch: pytest.MonkeyPatch
) -> None:
    later = court_today() + dt.timedelta(days=5)
    site.release(later.year, "later", date=later.isoformat(), title="Scheduled zebracorn")
    site.release(2021, "hidden", draft=True, title="Draft zebracorn")
    report = load_content(session_factory(search_app), site.content, site.cases)
    update_search_index(session_factory(search_app), index_root(search_app), report)
    assert titles(search_app, "zebracorn") == []
    # Made a draft, a public release leaves the index at the load.
    site.release(2020, "older-news", "en", date="2020-06-01", title="Detention figures",
                 body="The courts detained 208 people.", draft=True)  # fmt: skip
    report = load_content(session_factory(search_app), site.content, site.cases)
    message = update_search_index(session_factory(search_app), index_root(search_app), report)
    assert message == "search index: 0 updated, 1 removed"
    assert titles(search_app, "detained") == []
    # `portal index` on or after its day adds the scheduled one (and never the draft).
    monkeypatch.setattr(queries, "court_today", lambda: later)
    rebuild_search_index(session_factory(search_app), index_root(search_app))
    assert titles(search_app, "zebracorn") == ["Scheduled zebracorn"]


def test_a_damaged_index_gives_the_search_unavailable_page(search_app: Flask) -> None:
    directory = current_index_dir(index_root(search_app))
    for path in directory.iterdir():
        path.write_bytes(b"\x00garbage")
    client = search_app.test_client()
    page = fetch(client, "/zh/search/?q=x", status=503)
    assert page.text_of("h1") == "搜索暂不可用"
    api = client.get("/api/v1/search?q=x")
    assert api.status_code == 503
    assert api.mimetype == "application/problem+json"
    assert api.get_json()["status"] == 503


def test_a_missing_index_gives_the_search_unavailable_page(
    make_app, site: SiteBuilder, sqlite_url: str
) -> None:
    site.standard()
    page = fetch(make_app(sqlite_url).test_client(), "/en/search/?q=x", status=503)
    assert page.text_of("h1") == "Search is unavailable"


def test_every_search_has_a_feed_announced_on_its_page(search_app: Flask) -> None:
    client = search_app.test_client()
    page = fetch(client, "/en/search/?q=lending&kind=case")
    feed_link = page.html.find("link", type="application/atom+xml")["href"]
    assert feed_link == "/en/search/feed.atom?q=lending&kind=case"
    feed = feedparser.parse(client.get(feed_link).data)
    assert feed.bozo == 0
    assert sorted(entry.title for entry in feed.entries) == [
        "Case 01-zhang (en)",
        "Case 02-li (en)",
    ]
    assert "Facts of the case." in feed.entries[[e.title for e in feed.entries].index(
        "Case 02-li (en)")].content[0].value  # fmt: skip


def test_repeated_searches_are_answered_alike(search_app: Flask) -> None:
    search = SearchIndex(index_root(search_app))
    first = search.search(SearchRequest(text="lending", lang="en"))
    assert search.search(SearchRequest(text="lending", lang="en")) == first
    second_page = search.search(SearchRequest(text="lending", lang="en", page=2, page_size=2))
    assert [hit.title for hit in second_page.hits] == [hit.title for hit in first.hits][2:4]
    narrowed = search.search(SearchRequest(text="lending", lang="en", filters={"kind": "press"}))
    assert narrowed.total == 1
    assert search.search(SearchRequest(text="lending", lang="en")).total == 3


def test_a_searcher_moves_to_a_new_index(search_app: Flask, site: SiteBuilder) -> None:
    search = SearchIndex(index_root(search_app))
    assert search.search(SearchRequest(text="lending", lang="en")).total == 3
    site.release(2022, "more-lending", "en", date="2022-02-01", title="More lending",
                 body="Lending again.")  # fmt: skip
    load_content(session_factory(search_app), site.content, site.cases)
    rebuild_search_index(session_factory(search_app), index_root(search_app))
    again = search.search(SearchRequest(text="lending", lang="en"))
    assert again.total == 4
    assert "More lending" in [hit.title for hit in again.hits]
    assert dict(again.facets["year"])["2022"] == 1


def test_a_searcher_sees_an_update_in_place(search_app: Flask, site: SiteBuilder) -> None:
    search = SearchIndex(index_root(search_app))
    assert search.search(SearchRequest(text="renamed", lang="en")).total == 0
    site.release(2020, "older-news", "en", date="2020-06-01", title="Renamed figures",
                 body="Nothing about money.")  # fmt: skip
    report = load_content(session_factory(search_app), site.content, site.cases)
    update_search_index(session_factory(search_app), index_root(search_app), report)
    assert [hit.title for hit in search.search(SearchRequest(text="renamed", lang="en")).hits] == [
        "Renamed figures"
    ]


def test_an_english_word_is_found_in_chinese_documents_too(search_app: Flask) -> None:
    # Fields of the other language are left out only when the scope excludes its documents.
    search = SearchIndex(index_root(search_app))
    chinese = search.search(SearchRequest(text="lending", lang="zh"))
    both = search.search(SearchRequest(text="lending", lang="en", both_languages=True))
    assert both.total == 3 + chinese.total
    assert dict(both.facets["language"]).get("zh", 0) == chinese.total


def test_totals_and_facets_are_exact_for_two_words_and_an_exclusion(search_app: Flask) -> None:
    search = SearchIndex(index_root(search_app))
    for text, total in (("lending detained", 1), ("lending -detained", 2), ("detained", 1)):
        results = search.search(SearchRequest(text=text, lang="en", page_size=1))
        assert results.total == total, text
        assert sum(count for _value, count in results.facets["kind"]) == total


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_query_put_into_the_page_s_sentences_is_escaped(search_app: Flask, lang: str) -> None:
    hostile = '<script>alert(1)</script>"><img src=x>'
    response = search_app.test_client().get(f"/{lang}/search/", query_string={"q": hostile})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # in the title's "Search: …"


@pytest.fixture
def search_app_each_database(make_app, site: SiteBuilder, database_url: str) -> Flask:
    """The standard site with a Chinese report, indexed, on SQLite and PostgreSQL."""
    site.standard().standard_cases()
    site.release(2021, "annual-report", "zh", date="2021-01-15", title="年度报告",
                 body="最高人民法院发布失信被执行人名单。民间借贷纠纷案件增多。")  # fmt: skip
    app = make_app(database_url)
    rebuild_search_index(session_factory(app), index_root(app))
    return app


def test_a_search_that_finds_nothing_here_links_to_the_language_that_has_it(
    search_app_each_database: Flask,
) -> None:
    client = search_app_each_database.test_client()
    page = fetch(client, "/en/search/?q=失信被执行人名单")
    assert "0 results" in page.text_of(".results-count")
    hint = page.html.select_one("#search-elsewhere-zh")
    assert "In 中文, this search finds 1 page" in hint.get_text(" ", strip=True)
    target = fetch(client, hint.a["href"])
    assert [a.get_text() for a in target.html.select(".search-result__title a")] == ["年度报告"]
    # Nothing anywhere: no hint.
    assert not fetch(client, "/en/search/?q=asdkjhqwe").html.select("[id^=search-elsewhere]")


def test_a_new_search_keeps_the_filters_in_use(search_app_each_database: Flask) -> None:
    client = search_app_each_database.test_client()
    page = fetch(client, "/en/search/?q=case&court=shanghai-no1-intermediate&year=2020")
    form = page.html.select_one("form.search-form")
    kept = {i["name"]: i["value"] for i in form.select("input[type=hidden]")}
    assert kept == {"court": "shanghai-no1-intermediate", "year": "2020"}
    clear = [a for a in page.html.select(".active-filters a") if "Clear all" in a.get_text()]
    assert clear[0]["href"] == "/en/search/?q=case"
    assert form["data-apply-on-change"] == ""


def test_a_page_past_the_end_says_so_without_facets(search_app_each_database: Flask) -> None:
    client = search_app_each_database.test_client()
    page = fetch(client, "/en/search/?q=case&page=50")
    assert page.response.status_code == 200
    assert "so there is no page 50" in page.text_of("#search-past-end")
    assert page.html.select_one("#search-past-end a")["href"] == "/en/search/?q=case"
    assert not page.html.select(".facets")
    assert not page.html.select(".search-result")


@pytest.mark.parametrize(("lang", "query"), [("en", "bank password"), ("zh", "银行密码")])
def test_a_victim_notice_is_found_under_its_own_kind(
    make_app, site: SiteBuilder, sqlite_url: str, lang: str, query: str
) -> None:
    site.standard()
    for version in ("en", "zh"):
        site.victim_notice(lang=version)
    app = make_app(sqlite_url)
    rebuild_search_index(session_factory(app), index_root(app))
    client = app.test_client()
    page = fetch(client, f"/{lang}/search/?q={query}")
    link = page.html.select_one(f'a[href="/{lang}/victims/demo-case/"]')
    assert link is not None
    kind = "Victim notice" if lang == "en" else "被害人公告"
    assert kind in page.text_of(".search-result__meta")
    feed = feedparser.parse(client.get(f"/{lang}/search/feed.atom?q={query}").data)
    assert [entry.link for entry in feed.entries] == [
        f"https://portal.example.test/{lang}/victims/demo-case/"
    ]


def facet_navigation(page) -> dict[str, list[tuple[str, str | None]]]:
    """Each facet's heading -> its values as shown, each with its link (None: the one in use)."""
    return {
        section.find("h3").get_text(): [
            (item.get_text(" ", strip=True), item.a["href"] if item.a else None)
            for item in section.select("li")
        ]
        for section in page.html.select(".facet")
    }


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_facets_and_the_filters_in_use_read_in_the_page_s_language(
    search_app: Flask, lang: str
) -> None:
    page = fetch(search_app.test_client(), f"/{lang}/search/?q=&scope=all&kind=case&year=2020")
    here = f"/{lang}/search/?scope=all&kind=case&year=2020"
    english = {
        "Type": [("Typical case (4)", None)],
        "Language": [("English (2)", f"{here}&language=en"), ("中文 (2)", f"{here}&language=zh")],
        "Court": [("Minhang District Court (2)", f"{here}&court=minhang-district"),
                  ("No.1 Intermediate Court (2)", f"{here}&court=shanghai-no1-intermediate")],
        "Cause of action": [("Private lending (4)", f"{here}&cause=private-lending")],
        "Category": [("Difficult enforcement (4)", f"{here}&category=difficult-enforcement")],
        "Year": [("2020 (4)", None)],
        "Enforcement measure": [("Detention (2)", f"{here}&measure=detention"),
                                ("Fine (2)", f"{here}&measure=fine")],
    }  # fmt: skip
    chinese = {
        "类型": [("典型案例 (4)", None)],
        "语言": [("English (2)", f"{here}&language=en"), ("中文 (2)", f"{here}&language=zh")],
        "法院": [("闵行区人民法院 (2)", f"{here}&court=minhang-district"),
                 ("第一中级人民法院 (2)", f"{here}&court=shanghai-no1-intermediate")],
        "案由": [("民间借贷纠纷 (4)", f"{here}&cause=private-lending")],
        "类别": [("执行难 (4)", f"{here}&category=difficult-enforcement")],
        "年份": [("2020年 (4)", None)],
        "执行措施": [("拘留 (2)", f"{here}&measure=detention"),
                     ("罚款 (2)", f"{here}&measure=fine")],
    }  # fmt: skip
    assert facet_navigation(page) == (english if lang == "en" else chinese)
    in_use = [
        (a.get_text(" ", strip=True), a["href"]) for a in page.html.select(".active-filters a")
    ]
    if lang == "en":
        assert in_use == [
            ("Type: Typical case × (remove this filter)", "/en/search/?scope=all&year=2020"),
            ("Year: 2020 × (remove this filter)", "/en/search/?scope=all&kind=case"),
            ("Clear all filters", "/en/search/?scope=all"),
        ]
    else:
        assert in_use == [
            ("类型：典型案例 × （取消此筛选条件）", "/zh/search/?scope=all&year=2020"),
            ("年份：2020年 × （取消此筛选条件）", "/zh/search/?scope=all&kind=case"),
            ("清除全部筛选条件", "/zh/search/?scope=all"),
        ]


def test_a_filter_value_the_index_does_not_know_is_shown_as_typed(search_app: Flask) -> None:
    page = fetch(search_app.test_client(), "/en/search/?q=case&kind=<b>odd</b>&court=nowhere")
    assert [a.get_text(" ", strip=True) for a in page.html.select(".active-filters a")] == [
        "Type: <b>odd</b> × (remove this filter)",
        "Court: nowhere × (remove this filter)",
        "Clear all filters",
    ]
    assert page.html.select(".active-filters b") == []
