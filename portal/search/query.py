"""The public query language: words, "quoted phrases" and -exclusions, nothing else. No field
syntax or wildcards ever reach Whoosh: queries are built here, term by term. Also what a
search asks for and what it answers."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup
from whoosh.query import And, Every, NullQuery, Or, Phrase, Query, Term

from portal.content.facets import SEARCH_FACETS
from portal.search.analysis import CHINESE_WORDS, ENGLISH
from portal.text.chinese import has_han

MAX_QUERY_CHARS = 200
# Facets by their public name (in URLs and the API), with the index field behind each.
FACETS = {name: facet.index_field for name, facet in SEARCH_FACETS.items()}
SORTS = ("relevance", "date")
LANGUAGES = ("en", "zh")
# Fields searched for each language of query text, with the analyzer that makes their terms and
# the language of the documents that have the field: English words are looked for in Chinese
# documents too (their text can hold them), Chinese words only in Chinese documents.
ENGLISH_FIELDS = (("title_en", ENGLISH, "en"), ("body_en", ENGLISH, "en"),
                  ("title_zh", CHINESE_WORDS, "zh"), ("body_zh", CHINESE_WORDS, "zh"))  # fmt: skip
CHINESE_FIELDS = (("title_zh", CHINESE_WORDS, "zh"), ("body_zh", CHINESE_WORDS, "zh"))
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
    """The query for what a parsed visitor query asks to find, over the documents of these
    languages (fields that only documents of other languages have are left out: they cannot
    match there); everything when it holds no words. Exclusions are `excluded_query`."""
    wanted = [q for words in parsed.include if (q := _words_query(words, languages)) is not None]
    return And(wanted) if wanted else Every()


def excluded_query(parsed: ParsedQuery, languages: Collection[str] = LANGUAGES) -> Query | None:
    """The documents a parsed visitor query excludes, or None. Searches take it as a mask,
    not as an AndNot: Whoosh 2.7.4's AndNot matcher misses an excluded first document when
    the excluded words' postings start before it."""
    unwanted = [q for words in parsed.exclude if (q := _words_query(words, languages)) is not None]
    return Or(unwanted) if unwanted else None


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
    # Marking the words in each hit's text is the costly part; a CSV of titles does without.
    snippets: bool = True


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
