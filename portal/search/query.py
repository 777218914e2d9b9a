"""The public query language and searching: words, "quoted phrases" and -exclusions, nothing
else. No field syntax or wildcards ever reach Whoosh: queries are built here, term by term."""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from markupsafe import Markup, escape
from whoosh import index as whoosh_index
from whoosh.query import And, AndNot, Every, NullQuery, Or, Phrase, Query, Term

from portal.content.facets import SEARCH_FACETS
from portal.search import snippets
from portal.search.analysis import CHINESE_BIGRAMS, CHINESE_WORDS, ENGLISH, SPELLING, warm_up
from portal.search.engine import POSTINGS_CACHE_BYTES, Snapshot, evaluate, top
from portal.search.index import current_index_dir
from portal.text.chinese import has_han, to_simplified

MAX_QUERY_CHARS = 200
# Facets by their public name (in URLs and the API), with the index field behind each.
FACETS = {name: facet.index_field for name, facet in SEARCH_FACETS.items()}
SORTS = ("relevance", "date")
SNIPPET_CHARS = 240
MIN_SUGGESTED_WORD = 4  # shorter words have too many near neighbours to guess from
LANGUAGES = ("en", "zh")
# Fields searched for each language of query text, with the analyzer that makes their terms and
# the language of the documents that have the field: English words are looked for in Chinese
# documents too (their text can hold them), Chinese words only in Chinese documents.
ENGLISH_FIELDS = (("title_en", ENGLISH, "en"), ("body_en", ENGLISH, "en"),
                  ("title_zh", CHINESE_WORDS, "zh"), ("body_zh", CHINESE_WORDS, "zh"))  # fmt: skip
CHINESE_FIELDS = (("title_zh", CHINESE_WORDS, "zh"), ("body_zh", CHINESE_WORDS, "zh"))
TEXT_FIELDS = tuple(name for name, _analyzer, _lang in ENGLISH_FIELDS)
_PIECES = re.compile(r'-?"[^"]*"?|[^\s"]+')


class SearchUnavailable(RuntimeError):
    """There is no usable index: missing, damaged or unreadable."""


@dataclass(frozen=True)
class ParsedQuery:
    """What a visitor typed, made safe: the words and phrases to find and to exclude."""

    text: str  # the cleaned query, as shown back to the visitor
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    shortened: bool = False

    @property
    def is_empty(self) -> bool:
        return not self.include


def _clean(text: str) -> str:
    # Control characters, lone surrogates and unassigned code points carry no meaning here.
    kept = "".join(
        ch if unicodedata.category(ch) not in ("Cc", "Cs", "Cn", "Co") else " " for ch in text
    )
    return unicodedata.normalize("NFKC", kept)


def parse_query(raw: str) -> ParsedQuery:
    """Split a visitor's query into words and phrases to include or exclude; never raises."""
    text = _clean(raw).strip()
    shortened = len(text) > MAX_QUERY_CHARS
    text = text[:MAX_QUERY_CHARS]
    include: list[str] = []
    exclude: list[str] = []
    for piece in _PIECES.findall(text):
        negative = piece.startswith("-")
        words = piece.lstrip("-").strip('"').strip()
        if not words or not any(ch.isalnum() for ch in words):
            continue  # a bare "*", "-", quotes or punctuation match everything: no term
        (exclude if negative else include).append(words)
    return ParsedQuery(text=text, include=tuple(include), exclude=tuple(exclude),
                       shortened=shortened)  # fmt: skip


def _field_query(fieldname: str, analyzer: Any, words: str) -> Query | None:
    terms = [token.text for token in analyzer(words)]
    if not terms:
        return None
    return Term(fieldname, terms[0]) if len(terms) == 1 else Phrase(fieldname, terms)


def _words_query(words: str, languages: Collection[str]) -> Query | None:
    """One word or phrase, looked for in every field that can hold it in documents of these
    languages; None for words that carry no meaning alone (English stop words such as "of")."""
    if has_han(words):
        fields = CHINESE_FIELDS
    elif not any(True for _token in ENGLISH(words)):
        return None
    else:
        fields = ENGLISH_FIELDS
    queries = [
        q
        for name, analyzer, lang in fields
        if lang in languages and (q := _field_query(name, analyzer, words))
    ]
    return Or(queries) if queries else NullQuery


def build_query(parsed: ParsedQuery, languages: Collection[str] = LANGUAGES) -> Query:
    """The query for a parsed visitor query, over the documents of these languages (fields
    that only documents of other languages have are left out: they cannot match there);
    everything when it holds no words."""
    wanted = [q for words in parsed.include if (q := _words_query(words, languages)) is not None]
    query: Query = And(wanted) if wanted else Every()
    unwanted = [q for words in parsed.exclude if (q := _words_query(words, languages)) is not None]
    return AndNot(query, Or(unwanted)) if unwanted else query


@dataclass(frozen=True)
class SearchRequest:
    """A search as the page or the API asks for it."""

    text: str = ""
    lang: str = "en"  # the page's language
    both_languages: bool = False
    filters: dict[str, str] = field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1
    page_size: int = 10


@dataclass(frozen=True)
class SearchHit:
    """One result: what to show, and how to link to it."""

    doc_id: str
    kind: str
    lang: str
    title: str
    snippet: Markup
    date: Any
    year: str
    court: str
    route: dict[str, Any]


@dataclass(frozen=True)
class SearchResults:
    """One page of results, with facet counts over all matches and a spelling suggestion."""

    query: ParsedQuery
    hits: list[SearchHit]
    total: int
    page: int
    pages: int
    facets: dict[str, list[tuple[str, int]]]
    suggestion: str | None = None


def _window(text: str, terms: frozenset[str]) -> str:
    """The stretch of text around the first place a term appears: highlighting analyses only
    this, not the whole document."""
    folded = to_simplified(text).lower()
    found = [position for term in terms if (position := folded.find(term)) >= 0]
    start = max(0, min(found) - SNIPPET_CHARS // 2) if found else 0
    return text[start : start + 2 * SNIPPET_CHARS]


def _snippet(hit: Any, parsed: ParsedQuery) -> Markup:
    zh = hit["lang"] == "zh"
    analyzer = CHINESE_BIGRAMS if zh else ENGLISH
    terms = frozenset(t.text for words in parsed.include for t in analyzer(words))
    source = _window(hit.get("excerpt_source", ""), terms)
    if terms:
        tokens = snippets.chinese_tokens(source) if zh else snippets.english_tokens(source)
        marked = snippets.highlight(source, tokens, terms, SNIPPET_CHARS, surround=60, top=2)
        if marked:
            return Markup(marked)  # noqa: S704 - highlight() escaped every character
    summary = hit.get("summary") or source
    return escape(summary[:SNIPPET_CHARS] + ("…" if len(summary) > SNIPPET_CHARS else ""))


def _closest_word(searcher: Any, word: str) -> str | None:
    """Of the indexed words within two edits that begin with the same letter, the most
    frequent (then the last in alphabetical order), as Whoosh's `suggest(limit=1, prefix=1)`.
    Asked of each segment, whose word list Whoosh walks with an automaton (over several
    segments at once it compares every word), and the shared first letter skips most of it."""
    reader = searcher.reader()
    near: set[str] = set()
    for leaf, _offset in reader.leaf_readers():
        near.update(leaf.terms_within("words", word, 2, prefix=1))
    near.discard(word)
    if not near:
        return None
    return max(near, key=lambda found: (reader.frequency("words", found) or 1, found))


def _suggestion(searcher: Any, parsed: ParsedQuery) -> str | None:
    """A corrected query when some English word of it appears nowhere in the index."""
    corrected, changed = [], False
    for words in parsed.include:
        fixed_words = []
        for token in SPELLING(words):
            word = token.text
            if (
                len(word) >= MIN_SUGGESTED_WORD
                and word.isalpha()
                and not has_han(word)
                and searcher.doc_frequency("words", word) == 0
            ):
                found = _closest_word(searcher, word)
                if found:
                    fixed_words.append(found)
                    changed = True
                    continue
            fixed_words.append(word)
        fixed = " ".join(fixed_words)
        corrected.append(f'"{fixed}"' if " " in words else fixed)
    return " ".join(corrected) if changed else None


class SearchIndex:
    """Searches the live index under an index root; reopens it when a rebuild swaps in a new
    one or an update commits, and keeps one searcher per thread, with the results of its
    `cache_size` most recent distinct searches and up to `postings_cache_bytes` of recently
    used terms' postings (both dropped with the searcher: a new index generation starts
    empty)."""

    def __init__(
        self, root: Path, cache_size: int = 256, postings_cache_bytes: int = POSTINGS_CACHE_BYTES
    ) -> None:
        self.root = Path(root)
        self.cache_size = cache_size
        self.postings_cache_bytes = postings_cache_bytes
        self._local = threading.local()

    def _searcher(self) -> Snapshot:
        directory = current_index_dir(self.root)
        if directory is None:
            raise SearchUnavailable(f"no search index under {self.root}: run `portal index`")
        cached = getattr(self._local, "cached", None)
        try:
            if cached is None or cached[0] != directory:
                searcher = whoosh_index.open_dir(str(directory)).searcher()
            else:
                searcher = cached[1].searcher.refresh()
            if cached and cached[1].searcher is searcher:
                snapshot = cached[1]
            else:
                warm_up()  # jieba's dictionary, before the first Chinese query needs it
                snapshot = Snapshot(searcher, FACETS, TEXT_FIELDS, self.postings_cache_bytes)
        except Exception as error:  # any failure to read the index means it is damaged
            self._local.cached = None
            raise SearchUnavailable(f"the index at {directory} cannot be read: {error}") from error
        self._local.cached = (directory, snapshot)
        return snapshot

    def search(self, request: SearchRequest) -> SearchResults:
        """Run a search; SearchUnavailable if the index cannot be used."""
        parsed = parse_query(request.text)
        try:
            return self._search(request, parsed)
        except SearchUnavailable:
            raise
        except Exception as error:
            self._local.cached = None
            raise SearchUnavailable(f"the search index cannot answer: {error}") from error

    def _search(self, request: SearchRequest, parsed: ParsedQuery) -> SearchResults:
        snapshot = self._searcher()
        if self.cache_size <= 0:
            return self._answer(snapshot, request, parsed)
        key = (parsed, request.lang, request.both_languages, tuple(sorted(request.filters.items())),
               request.sort, request.page, request.page_size)  # fmt: skip
        cache = snapshot.results
        if key in cache:
            cache.move_to_end(key)
            return cache[key]
        results = cache[key] = self._answer(snapshot, request, parsed)
        if len(cache) > self.cache_size:
            cache.popitem(last=False)
        return results

    def _answer(
        self, snapshot: Snapshot, request: SearchRequest, parsed: ParsedQuery
    ) -> SearchResults:
        searcher = snapshot.searcher
        filters = {FACETS[name]: value for name, value in request.filters.items() if name in FACETS}
        if not request.both_languages:
            filters.setdefault("lang", request.lang)
            if filters["lang"] != request.lang:  # two language conditions: both must hold
                filters["lang"] = ""
        languages = {filters["lang"]} if filters.get("lang") in LANGUAGES else set(LANGUAGES)
        evaluation = evaluate(snapshot, build_query(parsed, languages))
        mask = evaluation.mask
        for fieldname, value in filters.items():
            mask = mask & snapshot.facet_mask(fieldname, value)
        total = int(np.count_nonzero(mask))
        page = max(1, request.page)
        limit = page * request.page_size
        by_date = request.sort == "date" or parsed.is_empty
        docnums = top(snapshot, evaluation, mask, by_date, limit)
        pages = max(1, -(-total // request.page_size))
        hits = []
        for docnum in docnums[(page - 1) * request.page_size : limit]:
            hit = searcher.stored_fields(docnum)
            hits.append(
                SearchHit(
                    doc_id=hit["doc_id"],
                    kind=hit["kind"],
                    lang=hit["lang"],
                    title=hit["title"],
                    snippet=_snippet(hit, parsed),
                    date=hit.get("date"),
                    year=hit.get("year", ""),
                    court=hit.get("court", ""),
                    route=hit["route"],
                )
            )
        return SearchResults(
            query=parsed,
            hits=hits,
            total=total,
            page=page,
            pages=pages,
            facets=snapshot.facet_counts(mask),
            suggestion=_suggestion(searcher, parsed) if total == 0 and parsed.include else None,
        )
