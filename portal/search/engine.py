"""Answering a query over a whole index generation with arrays instead of Whoosh's matchers.

Whoosh walks matches one document at a time in Python, scoring, filtering and recording each:
tens of microseconds per match, so a common word over 40,000 documents cost hundreds of
milliseconds. Here each term's postings are read block by block into arrays, and the query is
evaluated over the whole index at once as a boolean mask (which documents match) and a score
array: a word is an OR over fields, the words are ANDed, exclusions are masked out, facet
filters are masks too. The total is the mask's count and each facet is one `bincount`, so they
are exact. A phrase is checked over arrays too: each word's positions (packed by the index so
that numpy reads them whole) as sorted keys, looked up from the rarest word's places. Recently
used terms' decoded postings are kept per searcher, as queries share their common words.

Scores are Whoosh's BM25F (the same idf, average field lengths, stored lengths and weights that
include the title's field boost), so the ranking is the one Whoosh gave; a phrase scores, as in
Whoosh, the sum of its words' scores. Whoosh's block-quality shortcut (whoosh#461) is never
involved: nothing here skips blocks.
"""

from __future__ import annotations

import math
import pickle
import zlib
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import chain
from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.query import And, AndNot, Every, NullQuery, Or, Phrase, Query, Term

from portal.search.index import PackedPositions

B, K1 = 0.75, 1.2  # Whoosh's BM25F defaults
# What one searcher's cache of decoded postings may hold (each thread has its own searcher).
POSTINGS_CACHE_BYTES = 64 * 2**20


@dataclass
class Postings:
    """One term's postings across the index: ascending document numbers, weights (term
    frequency times field boost) and, when asked for, every position as a sorted key
    `document << 32 | position`."""

    ids: np.ndarray
    weights: np.ndarray
    keys: np.ndarray | None = None

    @property
    def nbytes(self) -> int:
        """The memory its arrays take."""
        return (
            self.ids.nbytes + self.weights.nbytes + (0 if self.keys is None else self.keys.nbytes)
        )


def _leaf_postings(
    matcher: Any, offset: int, values: bool
) -> tuple[np.ndarray, np.ndarray, list[bytes]]:
    """A segment's postings of a term: document numbers (plus `offset`), weights and, when
    asked for, the raw values (positions)."""
    ids: list[np.ndarray] = []
    weights: list[np.ndarray] = []
    raw: list[bytes] = []
    if isinstance(matcher, W3LeafMatcher) and not matcher._byteids:
        # Whole blocks at once: ids are stored as deltas, weights as None (all 1), one float
        # or a tuple, position values as a tuple of bytes.
        while matcher.is_active():
            data = matcher._postfile.get(
                matcher._dataoffset, matcher._nextoffset - matcher._dataoffset
            )
            if matcher._compression:
                data = zlib.decompress(data)
            block_ids, block_weights, block_values = pickle.loads(data)  # noqa: S301 - own index
            count = len(block_ids)
            ids.append(np.cumsum(np.asarray(block_ids, dtype=np.int64)))
            if block_weights is None:
                weights.append(np.ones(count))
            elif isinstance(block_weights, float):
                weights.append(np.full(count, block_weights))
            else:
                weights.append(np.asarray(block_weights, dtype=np.float32).astype(np.float64))
            if values:
                raw.extend(block_values)
            matcher._next_block()
    else:  # inlined postings of a rare term, or anything else: the generic matcher interface
        found_ids, found_weights = [], []
        while matcher.is_active():
            found_ids.append(matcher.id())
            found_weights.append(matcher.weight())
            if values:
                raw.append(matcher.value())
            matcher.next()
        ids.append(np.asarray(found_ids, dtype=np.int64))
        weights.append(np.asarray(found_weights, dtype=np.float32).astype(np.float64))
    return np.concatenate(ids) + offset, np.concatenate(weights), raw


def position_keys(field_format: Any, ids: np.ndarray, values: list[bytes]) -> np.ndarray:
    """The positions in postings' values as sorted keys `document << 32 | position`."""
    if isinstance(field_format, PackedPositions):
        # One array for all the values; each value's first number is its count, not a position.
        numbers = np.frombuffer(b"".join(values), dtype="<u4")
        sizes = np.fromiter(map(len, values), np.int64, len(values)) // 4
        counts = sizes - 1
        positions = np.delete(numbers, np.cumsum(sizes) - sizes).astype(np.int64)
    else:  # an index written before positions were packed: Whoosh decodes value by value
        decoded = [field_format.decode_positions(value) for value in values]
        counts = np.fromiter(map(len, decoded), np.int64, len(decoded))
        positions = np.fromiter(chain.from_iterable(decoded), np.int64, int(counts.sum()))
    return (np.repeat(ids, counts) << 32) | positions


class Snapshot:
    """What one index generation needs for answering queries as arrays: liveness, field
    lengths, dates, and facet values coded as integers. Built once per searcher."""

    def __init__(
        self,
        searcher: Any,
        facets: dict[str, str],
        text_fields: Iterable[str],
        postings_budget: int = POSTINGS_CACHE_BYTES,
    ) -> None:
        self.searcher = searcher
        # Results of recent searches on this generation (SearchIndex keeps them).
        self.results: OrderedDict[Any, Any] = OrderedDict()
        # Recently used terms' decoded postings: queries share words, and reading a common
        # word's blocks costs more than answering the rest of the query.
        self.postings_budget = postings_budget
        self._postings: OrderedDict[tuple[str, bytes], Postings] = OrderedDict()
        self._postings_bytes = 0
        reader = searcher.reader()
        self.size = size = reader.doc_count_all()
        self.leaves = list(reader.leaf_readers())
        self.live = np.ones(size, dtype=bool)
        if reader.has_deletions():
            for docnum in range(size):
                if reader.is_deleted(docnum):
                    self.live[docnum] = False
        self.lengths = {
            name: np.fromiter(
                (reader.doc_field_length(d, name, 0) for d in range(size)), np.float64, size
            )
            for name in text_fields
        }
        self.average_lengths = {name: searcher.avg_field_length(name) or 1 for name in self.lengths}
        # Dates as the index sorts them (unsigned 64-bit numbers), for "newest first".
        self.dates = np.asarray(self._column("date", translate=False, default=0), dtype=np.uint64)
        # A facet with one value per document: its sorted distinct values and each document's
        # index into them. A facet with several (the comma-separated measures): one mask each.
        self.facet_fields = dict(facets)
        self.values: dict[str, list[str]] = {}
        self.codes: dict[str, np.ndarray] = {}
        self.multi: dict[str, dict[str, np.ndarray]] = {}
        for fieldname in facets.values():
            if searcher.schema[fieldname].column_type is None:
                self.multi[fieldname] = {
                    term.decode("utf-8"): self._term_mask(fieldname, term)
                    for term in reader.lexicon(fieldname)
                }
                continue
            column = [str(v) if v is not None else "" for v in self._column(fieldname, True, "")]
            distinct = sorted(set(column))
            index = {value: code for code, value in enumerate(distinct)}
            self.values[fieldname] = distinct
            self.codes[fieldname] = np.fromiter((index[v] for v in column), np.int32, size)

    def _column(self, fieldname: str, translate: bool, default: Any) -> list[Any]:
        values: list[Any] = []
        for leaf, _offset in self.leaves:
            count = leaf.doc_count_all()
            if leaf.has_column(fieldname):
                column = leaf.column_reader(fieldname, translate=translate)
                values.extend(column[d] for d in range(count))
            else:
                values.extend([default] * count)
        return values

    def _term_mask(self, fieldname: str, btext: bytes) -> np.ndarray:
        mask = np.zeros(self.size, dtype=bool)
        mask[self._read(fieldname, btext, positions=False).ids] = True
        return mask

    def postings(self, fieldname: str, btext: bytes, positions: bool = False) -> Postings:
        """A term's postings over every segment, in document order (with their positions'
        keys if asked for), from the cache of recently used terms when there."""
        key = (fieldname, btext)
        found = self._postings.get(key)
        if found is not None and (found.keys is not None or not positions):
            self._postings.move_to_end(key)
            return found
        postings = self._read(fieldname, btext, positions)
        if found is not None:
            self._postings_bytes -= self._postings.pop(key).nbytes
        if postings.nbytes <= self.postings_budget:
            self._postings[key] = postings
            self._postings_bytes += postings.nbytes
            while self._postings_bytes > self.postings_budget:
                self._postings_bytes -= self._postings.popitem(last=False)[1].nbytes
        return postings

    def _read(self, fieldname: str, btext: bytes, positions: bool) -> Postings:
        parts = [
            _leaf_postings(leaf.postings(fieldname, btext), offset, positions)
            for leaf, offset in self.leaves
            if (fieldname, btext) in leaf
        ]
        if not parts:
            return Postings(np.zeros(0, np.int64), np.zeros(0), np.zeros(0, np.int64))
        ids = np.concatenate([p[0] for p in parts]) if len(parts) > 1 else parts[0][0]
        weights = np.concatenate([p[1] for p in parts]) if len(parts) > 1 else parts[0][1]
        if not positions:
            return Postings(ids, weights)
        values = [value for p in parts for value in p[2]]
        field_format = self.searcher.schema[fieldname].format
        return Postings(ids, weights, position_keys(field_format, ids, values))

    def idf(self, fieldname: str, btext: bytes) -> float:
        """Whoosh's idf: log(documents / (documents with the term + 1)) + 1."""
        frequency = self.searcher.doc_frequency(fieldname, btext)
        return math.log(self.size / (frequency + 1)) + 1

    def bm25(self, fieldname: str, ids: np.ndarray, weights: np.ndarray, idf: float) -> np.ndarray:
        """Whoosh's BM25F score of a term in these documents, from its weights in them."""
        lengths = self.lengths.get(fieldname)
        if lengths is None:
            return weights.copy()
        norm = (1 - B) + B * lengths[ids] / self.average_lengths[fieldname]
        return idf * ((weights * (K1 + 1)) / (weights + K1 * norm))

    def facet_mask(self, fieldname: str, value: str) -> np.ndarray:
        """The documents whose facet field has this value."""
        if fieldname in self.multi:
            found = self.multi[fieldname].get(value)
            return found if found is not None else np.zeros(self.size, dtype=bool)
        values = self.values.get(fieldname, [])
        if value not in values:
            return np.zeros(self.size, dtype=bool)
        return self.codes[fieldname] == values.index(value)

    def facet_counts(self, mask: np.ndarray) -> dict[str, list[tuple[str, int]]]:
        """Every facet's values with their counts over the matching documents, most frequent
        first."""
        counts: dict[str, list[tuple[str, int]]] = {}
        for name, fieldname in self.facet_fields.items():
            if fieldname in self.multi:
                pairs = [
                    (value, int(np.count_nonzero(found & mask)))
                    for value, found in self.multi[fieldname].items()
                ]
            else:
                numbers = np.bincount(
                    self.codes[fieldname][mask], minlength=len(self.values[fieldname])
                )
                pairs = list(zip(self.values[fieldname], numbers.tolist(), strict=True))
            counts[name] = sorted(
                ((value, number) for value, number in pairs if value and number),
                key=lambda item: (-item[1], item[0]),
            )
        return counts


@dataclass
class Evaluation:
    """A query evaluated over every document: which match, and with what score."""

    mask: np.ndarray
    scores: np.ndarray


def evaluate(snapshot: Snapshot, query: Query) -> Evaluation:
    """Evaluate a query made of Term, Phrase, And, Or, AndNot, Every and NullQuery."""
    size = snapshot.size
    if isinstance(query, Every):
        return Evaluation(snapshot.live.copy(), np.zeros(size))
    if isinstance(query, Term):
        return _term(snapshot, query)
    if isinstance(query, Phrase):
        return _phrase(snapshot, query)
    if isinstance(query, And):
        parts = [evaluate(snapshot, q) for q in query.subqueries]
        mask, scores = parts[0].mask, parts[0].scores
        for part in parts[1:]:
            mask = mask & part.mask
            scores = scores + part.scores
        return Evaluation(mask, np.where(mask, scores, 0.0))
    if isinstance(query, Or):
        mask, scores = np.zeros(size, dtype=bool), np.zeros(size)
        for q in query.subqueries:
            part = evaluate(snapshot, q)
            mask |= part.mask
            scores += part.scores
        return Evaluation(mask, scores)
    if isinstance(query, AndNot):
        positive, negative = evaluate(snapshot, query.a), evaluate(snapshot, query.b)
        mask = positive.mask & ~negative.mask
        return Evaluation(mask, np.where(mask, positive.scores, 0.0))
    if query is NullQuery:
        return Evaluation(np.zeros(size, dtype=bool), np.zeros(size))
    raise TypeError(f"the search engine cannot evaluate {query!r}")


def _term(snapshot: Snapshot, query: Term) -> Evaluation:
    btext = snapshot.searcher.schema[query.fieldname].to_bytes(query.text)
    postings = snapshot.postings(query.fieldname, btext)
    mask, scores = np.zeros(snapshot.size, dtype=bool), np.zeros(snapshot.size)
    if len(postings.ids):
        idf = snapshot.idf(query.fieldname, btext)
        mask[postings.ids] = True
        scores[postings.ids] = snapshot.bm25(query.fieldname, postings.ids, postings.weights, idf)
    return Evaluation(mask & snapshot.live, scores)


def _phrase(snapshot: Snapshot, query: Phrase) -> Evaluation:
    """The words one after the other (Whoosh's positions: each word takes the next one)."""
    size = snapshot.size
    mask, scores = np.zeros(size, dtype=bool), np.zeros(size)
    field = snapshot.searcher.schema[query.fieldname]
    words = [field.to_bytes(word) for word in query.words]
    every = [snapshot.postings(query.fieldname, w, positions=True) for w in words]
    if not words or any(len(p.ids) == 0 for p in every):
        return Evaluation(mask, scores)
    # Where the phrase can start: each place of its rarest word, less that word's offset in
    # the phrase; a start stays if every other word stands at the start plus its own offset.
    rarest = min(range(len(words)), key=lambda offset: len(every[offset].keys))  # type: ignore[arg-type]
    keys: np.ndarray = every[rarest].keys  # type: ignore[assignment]
    starts = keys[(keys & 0xFFFFFFFF) >= rarest] - rarest
    for offset, postings in enumerate(every):
        if offset == rarest or not len(starts):
            continue
        wanted = starts + offset
        places: np.ndarray = postings.keys  # type: ignore[assignment]
        found = np.minimum(np.searchsorted(places, wanted), len(places) - 1)
        starts = starts[places[found] == wanted]
    ids = np.unique(starts >> 32)
    ids = ids[snapshot.live[ids]]
    if len(ids):
        mask[ids] = True
        # As Whoosh scores a phrase: the sum of its words' scores in the document.
        for word, postings in zip(words, every, strict=True):
            idf = snapshot.idf(query.fieldname, word)
            weights = postings.weights[np.searchsorted(postings.ids, ids)]
            scores[ids] += snapshot.bm25(query.fieldname, ids, weights, idf)
    return Evaluation(mask, scores)


def top(
    snapshot: Snapshot, evaluation: Evaluation, mask: np.ndarray, by_date: bool, limit: int
) -> list[int]:
    """The first `limit` matching document numbers, by score (or newest first), ties in index
    order."""
    docnums = np.flatnonzero(mask)
    if not len(docnums) or limit <= 0:
        return []
    if by_date:
        key: np.ndarray = np.iinfo(np.uint64).max - snapshot.dates[docnums]
    else:
        key = -evaluation.scores[docnums]
    if len(docnums) > limit:
        # Keep only what can be among the first `limit` (ties at the boundary too), then order.
        boundary = np.partition(key, limit - 1)[limit - 1]
        keep = key <= boundary
        docnums, key = docnums[keep], key[keep]
    order = np.lexsort((docnums, key))
    return docnums[order][:limit].tolist()
