"""Searching the live index: Whoosh's own searcher matches, scores (BM25F), filters, sorts and
counts facets; Whoosh's highlighter marks the snippets; its corrector suggests spellings.

`SearchIndex` opens the index that `current` points to, one Whoosh searcher per thread,
refreshed when a rebuild swaps in a new index or an update commits. Either Whoosh's searcher
(`evaluator="whoosh"`) or the array evaluator of `portal.search.engine`, proven equal to it
and several times faster (`"arrays"`, the default), finds the matches and counts the facets.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape
from whoosh import highlight, sorting
from whoosh import index as whoosh_index
from whoosh.idsets import BitSet
from whoosh.query import And, Query, Term
from whoosh.searching import Searcher

from portal.search.analysis import CHINESE_BIGRAMS, ENGLISH, SPELLING, warm_up
from portal.search.engine import ArrayEvaluator, PostingsCache
from portal.search.index import current_index_dir
from portal.search.matches import Evaluator, Matches, ordered_counts
from portal.search.query import (
    ENGLISH_FIELDS,
    FACETS,
    LANGUAGES,
    ParsedQuery,
    SearchHit,
    SearchRequest,
    SearchResults,
    SearchUnavailable,
    build_query,
    excluded_query,
    parse_query,
)
from portal.text.chinese import has_han, to_simplified

SNIPPET_CHARS = 240
SNIPPET_CONTEXT = 60  # characters of context around a run of matches
SNIPPET_FRAGMENTS = 2
# Postings the array evaluator keeps read (per process, shared by its threads).
DEFAULT_CACHE_BYTES = 64 * 1024 * 1024
# Of which the postings of the words in most documents, read when a new index is opened.
DEFAULT_PREFETCH_BYTES = 48 * 1024 * 1024
MIN_SUGGESTED_WORD = 4  # shorter words have too many near neighbours to guess from
TEXT_FIELDS = [name for name, _analyzer, _lang in ENGLISH_FIELDS]
# Facets whose documents can have several values: each value is counted.
SEVERAL_VALUES = frozenset({"measure"})


class LanguageSets:
    """A searcher with each language's documents, found once per index generation: every
    search filters by language, and Whoosh otherwise walks every posting of the language term
    again on each (a sixth of its time on 12,000 documents a language)."""

    def __init__(self, searcher: Searcher) -> None:
        self.searcher = searcher
        size = searcher.doc_count_all()
        self._languages = {
            code: BitSet(searcher.docs_for_query(Term("lang", code)), size) for code in LANGUAGES
        }

    def docs(self, filters: dict[str, str]) -> BitSet | None:
        """The documents having every (field, value) of `filters`; None for no filter."""
        language = self._languages.get(filters.get("lang", ""))
        rest = {
            name: value for name, value in filters.items() if language is None or name != "lang"
        }
        if not rest:
            return language
        query = And([Term(name, value) for name, value in rest.items()])
        found = BitSet(self.searcher.docs_for_query(query), self.searcher.doc_count_all())
        return found if language is None else found.intersection(language)


class WhooshEvaluator:
    """Whoosh's own searcher: `searcher.search` with a filter, a mask, facets and a sort."""

    name = "whoosh"

    def prepare(self, searcher: Searcher) -> LanguageSets:
        """The searcher, with each language's documents."""
        return LanguageSets(searcher)

    def matches(
        self,
        prepared: LanguageSets,
        query: Query,
        excluded: Query | None,
        filters: dict[str, str],
        by_date: bool,
        start: int,
        stop: int,
    ) -> Matches:
        """Total, the documents from `start` to `stop` in order, and facet counts."""
        facets = {
            name: sorting.FieldFacet(fieldname, allow_overlap=fieldname in SEVERAL_VALUES)
            for name, fieldname in FACETS.items()
        }
        allowed = prepared.docs(filters)
        if allowed is not None and not allowed:
            # Whoosh takes an empty document set for no filter at all: nothing can match.
            return Matches(total=0, docnums=[], scores=[], facets={name: [] for name in FACETS})
        results = prepared.searcher.search(
            query,
            limit=stop,
            filter=allowed,
            mask=excluded,
            groupedby=facets,
            maptype=sorting.Count,
            sortedby=sorting.FieldFacet("date", reverse=True) if by_date else None,
            # Block-quality skipping can loop forever in Whoosh 2.7.4 (whoosh#461). With facets
            # Whoosh collects every match anyway; this keeps it off whatever the collector.
            optimize=False,
        )
        hits = results[start:stop]
        return Matches(
            total=len(results),
            docnums=[hit.docnum for hit in hits],
            scores=[] if by_date else [hit.score for hit in hits],
            facets={name: ordered_counts(results.groups(name)) for name in FACETS},
        )


def make_evaluator(
    name: str, cache_bytes: int = DEFAULT_CACHE_BYTES, prefetch_bytes: int = DEFAULT_PREFETCH_BYTES
) -> Evaluator:
    """The evaluator called `name`: "whoosh" (Whoosh's searcher) or "arrays", keeping up to
    `cache_bytes` of postings, `prefetch_bytes` of them read when an index is opened."""
    if name == "arrays":
        return ArrayEvaluator(FACETS, TEXT_FIELDS, PostingsCache(cache_bytes), prefetch_bytes)
    if name == "whoosh":
        return WhooshEvaluator()
    raise ValueError(f"no search evaluator called {name!r}: whoosh or arrays")


class MarkFormatter(highlight.HtmlFormatter):
    """Whoosh's HTML formatter (it escapes the text around and inside each match), with
    matches as bare <mark> elements and fragments joined by an ellipsis."""

    template = "<%(tag)s>%(t)s</%(tag)s>"

    def __init__(self) -> None:
        super().__init__(tagname="mark", between=" … ")


FRAGMENTER = highlight.ContextFragmenter(maxchars=SNIPPET_CHARS, surround=SNIPPET_CONTEXT)
FORMATTER = MarkFormatter()
_FRAGMENT_SCORE = highlight.BasicFragmentScorer()


def _fragment_score(fragment: highlight.Fragment) -> float:
    """Whoosh's score, with ties going to the earlier fragment: Whoosh breaks them by memory
    address, which made one page's snippet (and its ETag) change from answer to answer."""
    return _FRAGMENT_SCORE(fragment) + 0.5 / (1 + fragment.startchar)


def _window(text: str, terms: frozenset[str]) -> str:
    """The stretch of text around the first place a term appears: highlighting analyses only
    this, not the whole stored text."""
    folded = to_simplified(text).lower()
    found = [position for term in terms if (position := folded.find(term)) >= 0]
    start = max(0, min(found) - SNIPPET_CHARS // 2) if found else 0
    return text[start : start + 2 * SNIPPET_CHARS]


def snippet(hit: dict[str, Any], parsed: ParsedQuery) -> Markup:
    """The hit's text around the query's words, marked by Whoosh's highlighter; else its
    summary. Chinese is marked by character pairs, so a word inside a longer one shows."""
    analyzer = CHINESE_BIGRAMS if hit["lang"] == "zh" else ENGLISH
    terms = frozenset(token.text for words in parsed.include for token in analyzer(words))
    if terms:
        source = _window(hit.get("excerpt_source", ""), terms)
        marked = highlight.highlight(
            source,
            terms,
            analyzer,
            FRAGMENTER,
            FORMATTER,
            top=SNIPPET_FRAGMENTS,
            scorer=_fragment_score,
        )
        if marked:
            return Markup(marked)  # noqa: S704 - Whoosh's HtmlFormatter escaped the text
    summary = hit.get("summary") or hit.get("excerpt_source", "")
    return escape(summary[:SNIPPET_CHARS] + ("…" if len(summary) > SNIPPET_CHARS else ""))


def suggestion(searcher: Searcher, parsed: ParsedQuery) -> str | None:
    """A corrected query when some English word of it appears nowhere in the index: Whoosh's
    corrector's closest word sharing the first letter, the most frequent among equals."""
    corrector = searcher.corrector("words")
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
                found = corrector.suggest(word, limit=1, prefix=1)
                if found:
                    fixed_words.append(found[0])
                    changed = True
                    continue
            fixed_words.append(word)
        fixed = " ".join(fixed_words)
        corrected.append(f'"{fixed}"' if " " in words else fixed)
    return " ".join(corrected) if changed else None


def open_stored_fields(searcher: Searcher) -> None:
    """Open each segment's stored fields now, with the searcher: Whoosh opens them at the first
    document asked for, reading every document's offset (some 30 ms on 40,000 documents)."""
    for leaf, _offset in searcher.reader().leaf_readers():
        if leaf.doc_count_all():
            leaf.stored_fields(0)


class SearchIndex:
    """Searches the live index under an index root with one evaluator; keeps one searcher per
    thread, reopened when a rebuild swaps in a new index or an update commits."""

    def __init__(
        self,
        root: Path,
        evaluator: str = "arrays",
        cache_bytes: int = DEFAULT_CACHE_BYTES,
        prefetch_bytes: int = DEFAULT_PREFETCH_BYTES,
    ) -> None:
        self.root = Path(root)
        self.evaluator = make_evaluator(evaluator, cache_bytes, prefetch_bytes)
        self._local = threading.local()

    def _open(self) -> tuple[Searcher, Any]:
        directory = current_index_dir(self.root)
        if directory is None:
            raise SearchUnavailable(f"no search index under {self.root}: run `portal index`")
        opened = getattr(self._local, "opened", None)
        try:
            if opened is None or opened[0] != directory:
                searcher = whoosh_index.open_dir(str(directory)).searcher()
            else:
                searcher = opened[1].refresh()
            if opened is not None and opened[1] is searcher:
                return searcher, opened[2]
            warm_up()  # jieba's dictionary, before the first Chinese query needs it
            open_stored_fields(searcher)
            prepared = self.evaluator.prepare(searcher)
        except Exception as error:  # any failure to read the index means it is damaged
            self._local.opened = None
            raise SearchUnavailable(f"the index at {directory} cannot be read: {error}") from error
        self._local.opened = (directory, searcher, prepared)
        return searcher, prepared

    def document_count(self) -> int:
        """How many documents the live index holds; SearchUnavailable if it cannot be read."""
        return self._open()[0].doc_count()

    def search(self, request: SearchRequest) -> SearchResults:
        """Run a search; SearchUnavailable if the index cannot be used."""
        parsed = parse_query(request.text)
        try:
            return self._answer(request, parsed)
        except SearchUnavailable:
            raise
        except Exception as error:
            self._local.opened = None
            raise SearchUnavailable(f"the search index cannot answer: {error}") from error

    def matches(self, request: SearchRequest) -> Matches:
        """The evaluator's answer to a search, before hits are made of it."""
        return self._matches(self._open()[1], request, parse_query(request.text))

    def _matches(self, prepared: Any, request: SearchRequest, parsed: ParsedQuery) -> Matches:
        filters = {FACETS[name]: value for name, value in request.filters.items() if name in FACETS}
        if not request.both_languages:
            filters.setdefault("lang", request.lang)
            if filters["lang"] != request.lang:  # two language conditions: both must hold
                filters["lang"] = ""
        languages = {filters["lang"]} if filters.get("lang") in LANGUAGES else set(LANGUAGES)
        page = max(1, request.page)
        return self.evaluator.matches(
            prepared,
            build_query(parsed, languages),
            excluded_query(parsed, languages),
            filters,
            by_date=request.sort == "date" or parsed.is_empty,
            start=(page - 1) * request.page_size,
            stop=page * request.page_size,
        )

    def _answer(self, request: SearchRequest, parsed: ParsedQuery) -> SearchResults:
        searcher, prepared = self._open()
        found = self._matches(prepared, request, parsed)
        hits = []
        for docnum in found.docnums:
            hit = searcher.stored_fields(docnum)
            hits.append(
                SearchHit(
                    doc_id=hit["doc_id"],
                    kind=hit["kind"],
                    lang=hit["lang"],
                    title=hit["title"],
                    snippet=snippet(hit, parsed) if request.snippets else Markup(""),
                    date=hit.get("date"),
                    year=hit.get("year", ""),
                    court=hit.get("court", ""),
                    route=hit["route"],
                )
            )
        total = found.total
        return SearchResults(
            query=parsed,
            hits=hits,
            total=total,
            page=max(1, request.page),
            pages=max(1, -(-total // request.page_size)),
            facets=found.facets,
            suggestion=suggestion(searcher, parsed) if total == 0 and parsed.include else None,
        )
