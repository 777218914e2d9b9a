"""The array evaluator agrees with Whoosh's own searcher on generated corpora: the same hits,
totals and facet counts, and the same order up to equal scores."""

from __future__ import annotations

import datetime as dt
import math
import tempfile
import threading
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from whoosh import index as whoosh_index

from portal.search import engine
from portal.search.engine import Snapshot
from portal.search.index import SearchDocument, current_index_dir, rebuild
from portal.search.matches import Matches
from portal.search.query import SearchRequest
from portal.search.searcher import SearchIndex
from portal.search.service import rebuild_search_index
from portal.web.db import session_factory
from tests.support.pagecheck import fetch

ENGLISH = ["lending", "lend", "court", "courts", "fine", "detained", "wages", "auction",
           "property", "the", "of", "judgment", "deposit"]  # fmt: skip
CHINESE = ["法院", "执行", "失信被执行人", "民间借贷", "拘留", "罚款", "人民法院", "最高人民法院",
           "拍卖", "的"]  # fmt: skip
COURTS = ["", "pudong", "minhang"]
CAUSES = ["", "private-lending", "labour"]
MEASURES = ["fine", "detention", "auction"]


@st.composite
def documents(draw: st.DrawFn, number: int) -> SearchDocument:
    lang = draw(st.sampled_from(["en", "zh"]))
    vocabulary = ENGLISH if lang == "en" else CHINESE + ENGLISH[:3]
    joiner = " " if lang == "en" else ""
    words = st.lists(st.sampled_from(vocabulary), min_size=0, max_size=12)
    kind = draw(st.sampled_from(["press", "case"]))
    year = draw(st.integers(2018, 2021))
    return SearchDocument(
        doc_id=f"doc/{number}",
        kind=kind,
        lang=lang,
        title=joiner.join(draw(words)[:4]) or "untitled",
        summary=joiner.join(draw(words)[:3]),
        body=joiner.join(draw(words)),
        # Few distinct dates, so that sorting by date meets ties.
        date=dt.date(year, draw(st.sampled_from([1, 6])), 1),
        route={"n": number},
        year=str(year),
        court=draw(st.sampled_from(COURTS)) if kind == "case" else "",
        cause=draw(st.sampled_from(CAUSES)) if kind == "case" else "",
        category="",
        measures=tuple(draw(st.lists(st.sampled_from(MEASURES), unique=True, max_size=2))),
    )


@st.composite
def corpora(draw: st.DrawFn) -> tuple[list[SearchDocument], list[SearchDocument]]:
    """Documents for a first segment and for a second one, added after it."""
    first = draw(st.integers(1, 25))
    second = draw(st.integers(0, 10))
    made = [draw(documents(number)) for number in range(first + second)]
    return made[:first], made[first:]


def query_texts() -> st.SearchStrategy[str]:
    word = st.sampled_from([*ENGLISH, *CHINESE, "missing", "法律"])
    phrase = st.lists(st.sampled_from(ENGLISH), min_size=2, max_size=3).map(
        lambda words: '"' + " ".join(words) + '"'
    )
    chinese_phrase = st.lists(st.sampled_from(CHINESE), min_size=2, max_size=2).map(
        lambda words: '"' + "".join(words) + '"'
    )
    piece = st.one_of(word, phrase, chinese_phrase, word.map(lambda w: f"-{w}"))
    return st.lists(piece, max_size=3).map(" ".join)


requests = st.builds(
    SearchRequest,
    text=query_texts(),
    lang=st.sampled_from(["en", "zh"]),
    both_languages=st.booleans(),
    filters=st.dictionaries(
        st.sampled_from(["kind", "court", "cause", "year", "measure", "language"]),
        st.sampled_from(["case", "press", "pudong", "private-lending", "2019", "fine", "en"]),
        max_size=2,
    ),
    sort=st.sampled_from(["relevance", "date"]),
    page=st.integers(1, 3),
    page_size=st.sampled_from([3, 50]),
)


def build(root: Path, first: list[SearchDocument], second: list[SearchDocument]) -> None:
    rebuild(root, first, check=lambda directory: None)
    if second:  # a second segment: document numbers there start after the first's
        writer = whoosh_index.open_dir(str(current_index_dir(root))).writer()
        for document in second:
            writer.add_document(**document.fields())
        writer.commit(merge=False)


def assert_same_up_to_equal_scores(whoosh: Matches, arrays: Matches) -> None:
    assert arrays.scores == [] or len(arrays.scores) == len(arrays.docnums)
    for mine, theirs in zip(arrays.scores, whoosh.scores, strict=True):
        # The page's score at each rank is the same, whichever of equally scored documents
        # each puts there.
        assert math.isclose(mine, theirs, rel_tol=1e-9, abs_tol=1e-12)
    ranked = dict(zip(whoosh.docnums, whoosh.scores, strict=True))
    for docnum, score in zip(arrays.docnums, arrays.scores, strict=True):
        if docnum in ranked:
            assert math.isclose(score, ranked[docnum], rel_tol=1e-9, abs_tol=1e-12)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(corpus=corpora(), searches=st.lists(requests, min_size=1, max_size=6))
def test_the_array_evaluator_answers_as_whooshs_searcher(corpus, searches) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        build(root, *corpus)
        whoosh, arrays = SearchIndex(root, evaluator="whoosh"), SearchIndex(root, "arrays")
        # A cache too small for most words' postings: they are read again at each search.
        uncached = SearchIndex(root, "arrays", cache_bytes=600)
        for request in searches:
            expected, found = whoosh.matches(request), arrays.matches(request)
            assert uncached.matches(request) == found, request
            assert found.total == expected.total, request
            assert found.facets == expected.facets, request
            if request.sort == "date" or not expected.scores:
                # Newest first, ties in index order, in both.
                assert found.docnums == expected.docnums, request
            else:
                assert_same_up_to_equal_scores(expected, found)
            everything = SearchRequest(**{**request.__dict__, "page": 1, "page_size": 10_000})
            all_expected, all_found = whoosh.matches(everything), arrays.matches(everything)
            assert sorted(all_found.docnums) == sorted(all_expected.docnums), request
            if all_expected.scores:
                assert_same_up_to_equal_scores(all_expected, all_found)


def test_an_exclusion_removes_a_first_match_that_the_excluded_word_precedes(tmp_path) -> None:
    # Whoosh 2.7.4's AndNot matcher keeps the first match when the excluded word's postings
    # start before it: exclusions are a mask instead.
    made = [
        SearchDocument(
            doc_id=f"doc/{n}",
            kind="press",
            lang="en",
            title=title,
            summary="",
            body="",
            date=dt.date(2020, 1, 1),
            route={},
            year="2020",
        )
        for n, title in enumerate(["unpaid wages", "lending and wages", "lending"])
    ]
    rebuild(tmp_path, made, check=lambda directory: None)
    for evaluator in ("whoosh", "arrays"):
        results = SearchIndex(tmp_path, evaluator).search(SearchRequest(text="lending -wages"))
        assert [hit.doc_id for hit in results.hits] == ["doc/2"], evaluator
        assert results.total == 1


def test_words_read_before_an_update_are_read_again_after_it(tmp_path) -> None:
    made = [
        SearchDocument(doc_id=f"doc/{n}", kind="press", lang="en", title=title, summary="",
                       body=body, date=dt.date(2020, 1, n + 1), route={}, year="2020")
        for n, (title, body) in enumerate([("Unpaid wages", "wages paid"),
                                           ("Wages", "unpaid wages again"), ("Lending", "")])
    ]  # fmt: skip
    rebuild(tmp_path, made, check=lambda directory: None)
    whoosh, arrays = SearchIndex(tmp_path, evaluator="whoosh"), SearchIndex(tmp_path, "arrays")
    requests = [SearchRequest(text='"unpaid wages"'), SearchRequest(text="wages lending")]
    before = [arrays.matches(request) for request in requests]
    assert [found.total for found in before] == [2, 0]
    # In place: one document deleted from the first segment, two added in a second one.
    writer = whoosh_index.open_dir(str(current_index_dir(tmp_path))).writer()
    writer.delete_by_term("doc_id", "doc/0")
    for n, body in ((3, "unpaid wages lending"), (4, "lending wages")):
        extra = SearchDocument(doc_id=f"doc/{n}", kind="case", lang="en", title="More",
                               summary="", body=body, date=dt.date(2021, 1, n), route={},
                               year="2021")  # fmt: skip
        writer.add_document(**extra.fields())
    writer.commit(merge=False)
    for request in requests:
        assert arrays.matches(request) == whoosh.matches(request), request
    assert [arrays.matches(request).total for request in requests] == [2, 2]


def test_the_commonest_words_are_read_when_an_index_opens_not_at_their_first_search(
    tmp_path, monkeypatch
) -> None:
    made = [
        SearchDocument(doc_id=f"doc/{n}", kind="press", lang="en", title=title, summary="",
                       body=body, date=dt.date(2020, 1, n + 1), route={}, year="2020")
        for n, (title, body) in enumerate([("Alpha", "unpaid wages"), ("Beta", "wages paid"),
                                           ("Gamma", "lending wages")])
    ]  # fmt: skip
    rebuild(tmp_path, made, check=lambda directory: None)
    read: list[tuple[str, bytes]] = []
    walk = Snapshot._read_postings

    def spy(snapshot: Snapshot, fieldname: str, btext: bytes, positions: bool) -> Any:
        read.append((fieldname, btext))
        return walk(snapshot, fieldname, btext, positions)

    monkeypatch.setattr(Snapshot, "_read_postings", spy)
    # A small index has no word in 1,000 documents: none is read before its first search.
    assert SearchIndex(tmp_path, "arrays").document_count() == 3
    assert read == []
    monkeypatch.setattr(engine, "PREFETCH_MIN_DOCUMENTS", 3)  # "wages" counts as common
    wages = SearchRequest(text="wages")
    # One byte of budget: the one word in most documents, the body's "wages", is read at once.
    prefetching = SearchIndex(tmp_path, "arrays", prefetch_bytes=1)
    assert prefetching.document_count() == 3
    assert read == [("body_en", b"wage")]
    assert prefetching.matches(wages).total == 3
    assert ("body_en", b"wage") not in read[1:]  # found in the cache
    # Another thread opening the same index finds the words read already.
    read.clear()
    opened = threading.Thread(target=prefetching.document_count)
    opened.start()
    opened.join()
    assert read == []
    # Without a budget (or a cache), nothing is read before a search asks for it.
    for index in (SearchIndex(tmp_path, "arrays", prefetch_bytes=0),
                  SearchIndex(tmp_path, "arrays", cache_bytes=0)):  # fmt: skip
        read.clear()
        index.document_count()
        assert read == []
        assert index.matches(wages) == prefetching.matches(wages)
        assert ("body_en", b"wage") in read


def test_the_search_page_reads_the_same_with_either_evaluator(make_app, site, sqlite_url) -> None:
    site.standard().standard_cases()
    pages = []
    for evaluator in ("whoosh", "arrays"):
        app = make_app(sqlite_url, SEARCH_EVALUATOR=evaluator)
        rebuild_search_index(session_factory(app), Path(app.config["INDEX_DIR"]))
        page = fetch(app.test_client(), "/en/search/?q=lending+-detained&scope=all")
        pages.append(
            (
                page.text_of(".results-count"),
                [a["href"] for a in page.html.select(".search-result__title a")],
                page.text_of(".facets"),
                [str(p) for p in page.html.select(".search-result p")],
            )
        )
    assert pages[0] == pages[1]
    assert pages[0][1]
