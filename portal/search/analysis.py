"""How text becomes search terms: English is stemmed; Chinese is folded to simplified and
segmented by jieba, the same way when indexing and when searching.

jieba's own ChineseAnalyzer records character offsets as positions and emits overlapping
search-mode tokens, so phrases never match. Here each word gets the next position, so quoted
phrases work; when indexing, the dictionary words inside a longer word are added at that word's
position, so 人民法院 also finds 最高人民法院 without breaking phrases. Character bigrams serve
highlighting, where any matching piece of text should be marked.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterator
from typing import Any

import jieba
from whoosh.analysis import STOP_WORDS, LowercaseFilter, RegexTokenizer, Token, Tokenizer
from whoosh.lang.porter import stem

from portal.text.chinese import HAN, to_simplified

jieba.setLogLevel(logging.WARNING)  # it announces loading its dictionary at INFO

# Whoosh's default RegexTokenizer pattern: English words.
ENGLISH_WORDS = re.compile(r"\w+(\.?\w+)*")
# Porter stems, remembered for the 50,000 most recent words as Whoosh's StemFilter does: every
# snippet analyses its text again, and the same words recur.
cached_stem = functools.lru_cache(maxsize=50_000)(stem)
# Runs of Chinese characters, or of other word characters (Latin letters, digits).
_RUNS = re.compile(rf"{HAN.pattern}+|[^\W\u3400-\u9fff\uf900-\ufaff]+")


def _token(positions: bool, chars: bool, removestops: bool, mode: str, **kwargs: Any) -> Token:
    return Token(positions, chars, removestops=removestops, mode=mode, **kwargs)


def warm_up() -> None:
    """Load jieba's dictionary now rather than at the first Chinese text (jieba loads it
    once; later calls return at once)."""
    jieba.initialize()


def _inner_words(word: str) -> tuple[str, ...]:
    """The dictionary words inside a longer word: 最高人民法院 -> 最高, 人民, 法院, 人民法院, ..."""
    if len(word) < 3:
        return ()
    warm_up()
    frequencies = jieba.get_FREQ
    return tuple(
        word[start : start + size]
        for size in range(2, len(word))
        for start in range(len(word) - size + 1)
        if (frequencies(word[start : start + size]) or 0) > 0
    )


# What jieba cuts apart before segmenting: runs of Chinese and of letters and digits, and the
# punctuation and spaces between them.
_CLAUSES = jieba.re_han_default


def jieba_words(text: str) -> Iterator[tuple[str, int, int]]:
    """The same as `jieba.tokenize(text)`: each word with its start and end."""
    start = 0
    for clause in _CLAUSES.split(text):
        for word in jieba.cut(clause):
            yield word, start, start + len(word)
            start += len(word)


class PositionedTokenizer(Tokenizer):
    """A tokenizer whose subclasses say which terms stand at each position: every group of
    terms takes the next position, so phrases match word by word."""

    def groups(self, text: str, indexing: bool) -> Iterator[tuple[tuple[str, ...], int, int]]:
        """(terms at one position, start, end) for each position of `text`, in order."""
        raise NotImplementedError

    def prepare(self, value: str) -> str:
        """The text as `groups` reads it: Chinese folded to simplified."""
        return to_simplified(value)

    def __call__(  # type: ignore[override]
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        token = _token(positions, chars, removestops, mode, **kwargs)
        position = start_pos
        for terms, start, end in self.groups(self.prepare(value), mode == "index"):
            for text in terms:
                token.text = text
                token.boost, token.stopped = 1.0, False
                if keeporiginal:
                    token.original = token.text
                if positions:
                    token.pos = position
                if chars:
                    token.startchar, token.endchar = start_char + start, start_char + end
                yield token
            position += 1


class EnglishTokenizer(PositionedTokenizer):
    """Whoosh's StemmingAnalyzer in one tokenizer: words, lowercased, Porter stems, stop words
    and single letters dropped. As its StopFilter renumbers, the first word kept keeps its place
    among all words and each next one takes the next position."""

    def prepare(self, value: str) -> str:
        return value

    def groups(self, text: str, indexing: bool) -> Iterator[tuple[tuple[str, ...], int, int]]:
        kept = False
        for match in ENGLISH_WORDS.finditer(text):
            word = match.group().lower()
            if len(word) < 2 or word in STOP_WORDS:
                if not kept:
                    yield (), match.start(), match.end()
                continue
            kept = True
            yield (cached_stem(word),), match.start(), match.end()


class ChineseWordTokenizer(PositionedTokenizer):
    """jieba's precise segmentation, one position per word, punctuation dropped; when indexing,
    the dictionary words inside each word too, at the same position."""

    def groups(self, text: str, indexing: bool) -> Iterator[tuple[tuple[str, ...], int, int]]:
        for word, start, end in jieba_words(text):
            if any(ch.isalnum() for ch in word):
                yield (word.lower(), *(_inner_words(word) if indexing else ())), start, end


def bigram_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, term) of the overlapping character pairs of each run of Chinese (a lone
    character stays whole) and of the whole words of anything else, in order."""
    spans: list[tuple[int, int, str]] = []
    for run in _RUNS.finditer(text):
        piece, offset = run.group(), run.start()
        if len(piece) > 1 and HAN.match(piece):
            spans += [(offset + i, offset + i + 2, piece[i : i + 2]) for i in range(len(piece) - 1)]
        else:
            spans.append((offset, offset + len(piece), piece.lower()))
    return spans


class ChineseBigramTokenizer(PositionedTokenizer):
    """The character pairs and other words of `bigram_spans`, one position each."""

    def groups(self, text: str, indexing: bool) -> Iterator[tuple[tuple[str, ...], int, int]]:
        for start, end, term in bigram_spans(text):
            yield (term,), start, end


ENGLISH = EnglishTokenizer()
CHINESE_WORDS = ChineseWordTokenizer()
CHINESE_BIGRAMS = ChineseBigramTokenizer()
# Unstemmed English words: the dictionary for "did you mean".
SPELLING = RegexTokenizer() | LowercaseFilter()
