"""Highlighted snippets: the query's terms marked in a short stretch of a hit's text.

The same result as Whoosh's `highlight()` with a `ContextFragmenter` and the basic fragment
scorer (the text is cut into the same tokens, and marked and fragmented by the same rules), but
with plain tuples instead of Whoosh's chain of token generators, which cost more than the
search itself. Every character outside a mark, and inside one, is escaped.
"""

from __future__ import annotations

import functools
from collections import deque
from collections.abc import Iterable

from markupsafe import escape
from whoosh.analysis import STOP_WORDS

from portal.search.analysis import ENGLISH_WORDS, bigram_spans, english_stem
from portal.text.chinese import to_simplified

BETWEEN = " … "

Token = tuple[int, int, str]  # start and end character, term


@functools.lru_cache(maxsize=100_000)
def _english_term(word: str) -> str:
    # As the English analyzer: lowercase; stop words (and single letters) are kept unstemmed.
    lower = word.lower()
    return lower if len(lower) < 2 or lower in STOP_WORDS else english_stem(lower)


def english_tokens(text: str) -> list[Token]:
    """The English analyzer's terms of a text, with their character spans."""
    return [(m.start(), m.end(), _english_term(m.group())) for m in ENGLISH_WORDS.finditer(text)]


def chinese_tokens(text: str) -> list[Token]:
    """The character bigrams (and other words) of a text, with their character spans."""
    # What CHINESE_BIGRAMS analyses, without the Token objects that Whoosh's analyzers pass.
    return bigram_spans(to_simplified(text))


def _fragments(
    tokens: Iterable[Token], terms: frozenset[str], maxchars: int, surround: int
) -> list[tuple[int, int, list[Token]]]:
    """Whoosh's ContextFragmenter: each run of matches with up to `surround` characters of
    context around it, at most `maxchars` long; (start, end, matched tokens)."""
    fragments = []
    first: int | None = None
    firsts: deque[int] = deque()
    countdown = -1
    matched: list[Token] = []
    endchar = 0
    currentlen = 0
    for token in tokens:
        startchar, endchar, term = token
        length = endchar - startchar
        is_match = term in terms
        if countdown < 0 and not is_match:
            firsts.append(startchar)
            while firsts and endchar - firsts[0] > surround:
                firsts.popleft()
        elif currentlen + length > maxchars:
            countdown = 0
        elif is_match:
            countdown = surround
            if first is None:
                if firsts:
                    first = firsts[0]
                else:
                    first = startchar
                    countdown += surround
            matched.append(token)
        if countdown >= 0:
            currentlen += length
            countdown -= length
            if countdown <= 0:
                if matched:  # (Whoosh scores an empty one 0 and drops it)
                    fragments.append((first if first is not None else 0, endchar, matched))
                matched, firsts, first, currentlen = [], deque(), None, 0
    if matched:
        fragments.append((first if first is not None else 0, endchar, matched))
    return fragments


def _score(fragment: tuple[int, int, list[Token]]) -> int:
    # Whoosh's BasicFragmentScorer: matches, times 100 for each distinct term matched.
    matches = fragment[2]
    return len(matches) * ((len({term for _s, _e, term in matches}) * 100) or 1)


def highlight(
    text: str,
    tokens: list[Token],
    terms: frozenset[str],
    maxchars: int,
    surround: int,
    top: int,
) -> str:
    """The best `top` fragments of the text in their order, matches marked, all escaped;
    empty when no term matches."""
    fragments = _fragments(tokens, terms, maxchars, surround)
    # The best scores, the earlier fragment first among equals; then in the text's order.
    ranked = sorted(range(len(fragments)), key=lambda i: (-_score(fragments[i]), i))[:top]
    output = []
    for i in sorted(ranked):
        start, end, matches = fragments[i]
        pieces, index = [], start
        for match_start, match_end, _term in matches:
            if match_start < index:  # overlaps the previous mark (Chinese bigrams)
                continue
            pieces.append(str(escape(text[index:match_start])))
            pieces.append(f"<mark>{escape(text[match_start:match_end])}</mark>")
            index = match_end
        pieces.append(str(escape(text[index:end])))
        output.append("".join(pieces))
    return BETWEEN.join(output)
