"""The array evaluator: the same answers as Whoosh's own searcher, computed over whole arrays.

Quarantined here, behind the evaluator interface of `portal.search.searcher`, and proven equal
to `searcher.search` by tests/search/test_engine.py (same hits, totals, facet counts, and order
up to equal scores). It reads the index only through Whoosh's public reader and matcher
methods: `postings`, `is_active`, `id`, `weight`, `value`, `next`, `doc_field_length`,
`column_reader`, `idf`, `avg_field_length`; positions are decoded as the field's format decodes
them (`portal.search.positions`).

A word's documents become a boolean mask and a score array over the whole index: a word is an
OR over fields, words are ANDed, exclusions and facet filters are masks, the total is the
mask's count and each facet one `bincount`. Scores are Whoosh's BM25F (its `bm25` function
with its idf, average field lengths, stored lengths and weights, which include the title's
field boost); a phrase scores the sum of its words' scores, as Whoosh's phrase matcher does.
Nothing here skips blocks, so Whoosh's block-quality shortcut (whoosh#461) is not involved.

Walking a term's postings through the matcher costs a few Python calls per posting, most of a
search's time. Each term's postings, read once, are kept as arrays in the portal's one
in-process cache (`PostingsCache`, bounded in bytes, keyed by index generation), so a common
word costs its walk once per generation, and a phrase is matched over whole position arrays.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from itertools import repeat
from typing import Any

import numpy as np

# np.unique imports numpy.ma at its first call: 15 ms of the first phrase searched, now at start.
import numpy.ma
from cachetools import LRUCache
from whoosh.query import And, Every, NullQuery, Or, Phrase, Query, Term
from whoosh.scoring import BM25F
from whoosh.searching import Searcher

from portal.search.matches import Matches, ordered_counts
from portal.search.positions import decode_positions

# Whoosh's BM25F defaults, which the portal's searcher uses.
B, K1 = BM25F().B, BM25F().K1
# What a cached entry costs beyond its arrays' data, in bytes: the entry, its key and the
# arrays' headers (about 100 bytes each for two to four numpy arrays), so that a cache of many
# short postings is not counted as smaller than it is.
ENTRY_OVERHEAD_BYTES = 200
# Words read when an index opens are those in at least this many documents of a field: a rarer
# word costs its first search under a millisecond, and a small index would otherwise have all
# its thousands of words read one by one.
PREFETCH_MIN_DOCUMENTS = 1000


@dataclass(frozen=True)
class TermPostings:
    """A term's postings over every segment: document numbers (ascending) and weights, and,
    when read for phrases, each document's positions (`counts[i]` of them, in order, flat)."""

    ids: np.ndarray
    weights: np.ndarray
    counts: np.ndarray | None = None
    positions: np.ndarray | None = None

    @property
    def nbytes(self) -> int:
        arrays = (self.ids, self.weights, self.counts, self.positions)
        data = sum(array.nbytes for array in arrays if array is not None)
        return data + ENTRY_OVERHEAD_BYTES

    def weights_at(self, docnums: np.ndarray) -> np.ndarray:
        """The term's weights in these documents, which all hold it."""
        return self.weights[np.searchsorted(self.ids, docnums)]


class PostingsCache:
    """Terms' postings already read, least recently used dropped first beyond `max_bytes`;
    shared by a search index's threads. Keys carry the index generation they were read from."""

    def __init__(self, max_bytes: int) -> None:
        self._entries: LRUCache = LRUCache(maxsize=max_bytes, getsizeof=lambda p: p.nbytes)
        self._lock = threading.Lock()

    @property
    def max_bytes(self) -> int:
        return self._entries.maxsize

    def get(self, key: tuple) -> TermPostings | None:
        with self._lock:
            return self._entries.get(key)

    def put(self, key: tuple, postings: TermPostings) -> None:
        if postings.nbytes > self._entries.maxsize:
            return  # larger than the whole cache: read again next time
        with self._lock:
            self._entries[key] = postings


class Snapshot:
    """What one index generation needs for answering queries as arrays: liveness, field
    lengths, dates and facet values coded as integers; read once when a searcher opens."""

    def __init__(
        self,
        searcher: Searcher,
        facets: dict[str, str],
        text_fields: list[str],
        cache: PostingsCache,
    ) -> None:
        self.searcher = searcher
        reader = searcher.reader()
        self.cache = cache
        self.leaves = list(reader.leaf_readers())
        # What cached postings were read from: these segments (named at random when written,
        # so never shared by two indexes) in this order, at this generation (deletions).
        segments = tuple(
            segment.segment_id() if (segment := leaf.segment()) else None
            for leaf, _offset in self.leaves
        )
        self.generation = (reader.generation(), segments)
        self.size = size = reader.doc_count_all()
        self.live = np.ones(size, dtype=bool)
        if reader.has_deletions():
            self.live[[d for d in range(size) if reader.is_deleted(d)]] = False
        self.lengths = {name: self._lengths(name) for name in text_fields}
        self.average_lengths = {name: searcher.avg_field_length(name) or 1 for name in text_fields}
        # Dates as the index sorts them (unsigned 64-bit numbers), for "newest first".
        self.dates = np.asarray(self._column("date", translate=False, default=0), dtype=np.uint64)
        # A facet with one value per document: its sorted distinct values and each document's
        # index into them. One with several (the measures): a mask per value.
        self.facet_fields = dict(facets)
        self.values: dict[str, list[str]] = {}
        self.codes: dict[str, np.ndarray] = {}
        self.multi: dict[str, dict[str, np.ndarray]] = {}
        for fieldname in facets.values():
            column = self._column(fieldname, translate=True, default=None)
            if searcher.schema[fieldname].column_type.stores_lists():
                masks: dict[str, np.ndarray] = {}
                for docnum, values in enumerate(column):
                    for value in values or ():
                        masks.setdefault(value, np.zeros(size, dtype=bool))[docnum] = True
                self.multi[fieldname] = masks
                continue
            strings = ["" if value is None else str(value) for value in column]
            distinct = sorted(set(strings))
            index = {value: code for code, value in enumerate(distinct)}
            self.values[fieldname] = distinct
            self.codes[fieldname] = np.fromiter((index[v] for v in strings), np.int32, size)

    def _lengths(self, fieldname: str) -> np.ndarray:
        # Asked of each segment, not of the whole reader, which would find each document's
        # segment again (a third of the time). Whoosh's scorer takes a missing length as 1.
        parts = [
            np.fromiter(
                map(leaf.doc_field_length, range(count), repeat(fieldname), repeat(1)),
                np.float64,
                count,
            )
            for leaf, _offset in self.leaves
            if (count := leaf.doc_count_all())
        ]
        return np.concatenate(parts) if parts else np.zeros(self.size)

    def _column(self, fieldname: str, translate: bool, default: Any) -> list[Any]:
        values: list[Any] = []
        for leaf, _offset in self.leaves:
            count = leaf.doc_count_all()
            if leaf.has_column(fieldname):
                values.extend(leaf.column_reader(fieldname, translate=False))
            else:
                values.extend([default] * count)
        if not translate:
            return values
        # As the column's own translation gives them, each distinct value translated once
        # (a facet has a few dozen values over tens of thousands of documents).
        field = self.searcher.schema[fieldname]
        named: dict[Any, Any] = {default: default}
        translated = []
        for value in values:
            key = tuple(value) if isinstance(value, list) else value
            if key not in named:
                named[key] = field.from_column_value(value)
            translated.append(named[key])
        return translated

    def postings(self, fieldname: str, btext: bytes, positions: bool = False) -> TermPostings:
        """A term's postings over every segment, with positions if asked; from the cache when
        this generation's were read before."""
        wanted = (*self.generation, fieldname, btext)
        found = self.cache.get((*wanted, True))
        if found is None and not positions:
            found = self.cache.get((*wanted, False))
        if found is None:
            found = self._read_postings(fieldname, btext, positions)
            self.cache.put((*wanted, positions), found)
        return found

    def _read_postings(self, fieldname: str, btext: bytes, positions: bool) -> TermPostings:
        # One Python step per posting: the matcher's methods are the public way to read them.
        # A phrase's positions are kept encoded here and decoded all at once afterwards.
        ids: list[int] = []
        weights: list[float] = []
        values: list[bytes] = []
        for leaf, offset in self.leaves:
            if (fieldname, btext) not in leaf:
                continue
            matcher = leaf.postings(fieldname, btext)
            is_active, docnum, weight, step = (
                matcher.is_active,
                matcher.id,
                matcher.weight,
                matcher.next,
            )
            if positions:
                value = matcher.value
                while is_active():
                    ids.append(docnum() + offset)
                    weights.append(weight())
                    values.append(value())
                    step()
            else:
                while is_active():
                    ids.append(docnum() + offset)
                    weights.append(weight())
                    step()
        postings = TermPostings(
            np.asarray(ids, dtype=np.int64), np.asarray(weights, dtype=np.float64)
        )
        if not positions:
            return postings
        counts, places = decode_positions(values, self.searcher.schema[fieldname].format)
        # Kept as 32-bit numbers when they fit (they always do in practice): a third less
        # memory for a common word, so the cache holds more of them.
        if len(places) and int(places.max()) < np.iinfo(np.int32).max:
            counts, places = counts.astype(np.int32), places.astype(np.int32)
        return TermPostings(postings.ids, postings.weights, counts, places)

    def prefetch(self, budget_bytes: int) -> int:
        """Read into the cache the postings, with positions, of the terms in most documents (at
        least PREFETCH_MIN_DOCUMENTS), most first, until `budget_bytes`; returns the bytes read."""
        frequencies: dict[tuple[str, bytes], int] = {}
        for fieldname in self.lengths:
            for leaf, _offset in self.leaves:
                for btext, info in leaf.iter_field(fieldname):
                    key = (fieldname, btext)
                    frequencies[key] = frequencies.get(key, 0) + info.doc_frequency()
        common = [term for term, count in frequencies.items() if count >= PREFETCH_MIN_DOCUMENTS]
        spent = 0
        for fieldname, btext in sorted(common, key=frequencies.__getitem__, reverse=True):
            if spent >= budget_bytes:
                break
            spent += self.postings(fieldname, btext, positions=True).nbytes
        return spent

    def bm25(self, fieldname: str, btext: bytes, ids: np.ndarray, weights: np.ndarray):
        """Whoosh's BM25F score of a term in these documents, from its weights in them."""
        lengths = self.lengths.get(fieldname)
        if lengths is None:  # a field without lengths is scored by weight, as Whoosh does
            return weights.copy()
        idf = self.searcher.idf(fieldname, btext)
        norm = (1 - B) + B * lengths[ids] / self.average_lengths[fieldname]
        return idf * ((weights * (K1 + 1)) / (weights + K1 * norm))

    def facet_mask(self, fieldname: str, value: str) -> np.ndarray:
        """The documents whose facet field has this value (none for no value, as a Term)."""
        if not value:
            return np.zeros(self.size, dtype=bool)
        if fieldname in self.multi:
            found = self.multi[fieldname].get(value)
            return found if found is not None else np.zeros(self.size, dtype=bool)
        values = self.values.get(fieldname, [])
        if value not in values:
            return np.zeros(self.size, dtype=bool)
        return self.codes[fieldname] == values.index(value)

    def facet_counts(self, mask: np.ndarray) -> dict[str, list[tuple[str, int]]]:
        """Every facet's values with their counts over the matching documents."""
        counts: dict[str, list[tuple[str, int]]] = {}
        for name, fieldname in self.facet_fields.items():
            if fieldname in self.multi:
                pairs = {
                    value: int(np.count_nonzero(found & mask))
                    for value, found in self.multi[fieldname].items()
                }
            else:
                numbers = np.bincount(
                    self.codes[fieldname][mask], minlength=len(self.values[fieldname])
                )
                pairs = dict(zip(self.values[fieldname], numbers.tolist(), strict=True))
            counts[name] = ordered_counts(pairs)
        return counts


@dataclass
class Evaluation:
    """A query evaluated over every document: which match, and with what score."""

    mask: np.ndarray
    scores: np.ndarray


def _has_phrase(query: Query) -> bool:
    return isinstance(query, Phrase) or any(_has_phrase(q) for q in query.children())


def evaluate(
    snapshot: Snapshot, query: Query, scored: bool = True, within: np.ndarray | None = None
) -> Evaluation:
    """Evaluate a query made of Term, Phrase, And, Or, Every and NullQuery; without `scored`,
    only which documents match (the scores stay zero). Given `within`, the answer holds only
    for those documents: phrases, whose positions cost most, are checked there alone."""
    size = snapshot.size
    if isinstance(query, Every):  # Whoosh scores every document by the query's boost
        return Evaluation(snapshot.live.copy(), np.full(size, query.boost if scored else 0.0))
    if isinstance(query, Term):
        return _term(snapshot, query, scored)
    if isinstance(query, Phrase):
        return _phrase(snapshot, query, scored, within)
    if isinstance(query, And):
        # Words first: the documents that hold them are all a phrase needs checking in.
        parts = []
        for q in sorted(query.subqueries, key=_has_phrase):
            part = evaluate(snapshot, q, scored, within)
            within = part.mask if within is None else within & part.mask
            parts.append(part)
        mask, scores = parts[0].mask, parts[0].scores
        for part in parts[1:]:
            mask = mask & part.mask
            scores = scores + part.scores
        return Evaluation(mask, np.where(mask, scores, 0.0))
    if isinstance(query, Or):
        mask, scores = np.zeros(size, dtype=bool), np.zeros(size)
        for q in query.subqueries:
            part = evaluate(snapshot, q, scored, within)
            mask |= part.mask
            scores += part.scores
        return Evaluation(mask, scores)
    if query is NullQuery:
        return Evaluation(np.zeros(size, dtype=bool), np.zeros(size))
    raise TypeError(f"the array evaluator cannot evaluate {query!r}")


def _term(snapshot: Snapshot, query: Term, scored: bool) -> Evaluation:
    btext = snapshot.searcher.schema[query.fieldname].to_bytes(query.text)
    postings = snapshot.postings(query.fieldname, btext)
    ids = postings.ids
    mask, scores = np.zeros(snapshot.size, dtype=bool), np.zeros(snapshot.size)
    if len(ids):
        mask[ids] = True
    if len(ids) and scored:
        scores[ids] = snapshot.bm25(query.fieldname, btext, ids, postings.weights)
    return Evaluation(mask & snapshot.live, scores)


def _phrase(
    snapshot: Snapshot, query: Phrase, scored: bool, within: np.ndarray | None
) -> Evaluation:
    """The words one after the other (each word takes the next position)."""
    size = snapshot.size
    mask, scores = np.zeros(size, dtype=bool), np.zeros(size)
    field = snapshot.searcher.schema[query.fieldname]
    words = [field.to_bytes(word) for word in query.words]
    if not words:
        return Evaluation(mask, scores)
    # Where the phrase may start, as (document << 32 | position): the rarest word's places
    # first, then each next rarest word's places shifted back by its place in the phrase, kept
    # where they meet. A word is read only while some start is left (a word no document of the
    # field holds ends the phrase before its common words are read), and is first cut to the
    # documents still in play, so the sorts that intersect stay the size of the rarest word.
    frequency = snapshot.searcher.doc_frequency
    order = sorted(range(len(words)), key=lambda at: (frequency(query.fieldname, words[at]), at))
    postings: dict[int, TermPostings] = {}
    allowed = (snapshot.live if within is None else within).copy()
    starts: np.ndarray | None = None
    for place in order:
        term = postings[place] = snapshot.postings(query.fieldname, words[place], positions=True)
        documents = np.repeat(term.ids, term.counts)
        shifted = term.positions - place
        keep = allowed[documents] & (shifted >= 0)
        here = (documents[keep] << 32) | shifted[keep]
        starts = here if starts is None else np.intersect1d(starts, here, assume_unique=True)
        if not len(starts):
            return Evaluation(mask, scores)
        allowed[:] = False
        allowed[starts >> 32] = True
    candidates = np.unique(starts >> 32)
    mask[candidates] = True
    if scored:  # summed in the phrase's order, as Whoosh sums them
        for place, word in enumerate(words):
            weights = postings[place].weights_at(candidates)
            scores[candidates] += snapshot.bm25(query.fieldname, word, candidates, weights)
    return Evaluation(mask, scores)


def top(snapshot: Snapshot, evaluation: Evaluation, mask: np.ndarray, by_date: bool, stop: int):
    """The first `stop` matching document numbers, by score (or newest first), ties in index
    order, as Whoosh's collectors order them."""
    docnums = np.flatnonzero(mask)
    if not len(docnums) or stop <= 0:
        return []
    if by_date:
        key: np.ndarray = np.iinfo(np.uint64).max - snapshot.dates[docnums]
    else:
        key = -evaluation.scores[docnums]
    if len(docnums) > stop:
        # Keep only what can be among the first `stop` (ties at the boundary too), then order.
        boundary = np.partition(key, stop - 1)[stop - 1]
        keep = key <= boundary
        docnums, key = docnums[keep], key[keep]
    order = np.lexsort((docnums, key))
    return docnums[order][:stop].tolist()


class ArrayEvaluator:
    """The evaluator interface over arrays: a Snapshot per searcher, then `matches`."""

    name = "arrays"

    def __init__(
        self,
        facets: dict[str, str],
        text_fields: list[str],
        cache: PostingsCache,
        prefetch_bytes: int = 0,
    ) -> None:
        self.facets = facets
        self.text_fields = text_fields
        self.cache = cache
        # At most the cache's size: more would push out what was just read.
        self.prefetch_bytes = min(prefetch_bytes, cache.max_bytes)

    def prepare(self, searcher: Searcher) -> Snapshot:
        """The arrays of this searcher's index generation, with its common words' postings
        read into the cache (a thread opening a generation already read finds them there)."""
        snapshot = Snapshot(searcher, self.facets, self.text_fields, self.cache)
        if self.prefetch_bytes:
            snapshot.prefetch(self.prefetch_bytes)
        return snapshot

    def matches(
        self,
        prepared: Snapshot,
        query: Query,
        excluded: Query | None,
        filters: dict[str, str],
        by_date: bool,
        start: int,
        stop: int,
    ) -> Matches:
        """Total, the documents from `start` to `stop` in order, and facet counts."""
        within = prepared.live
        for fieldname, value in filters.items():
            within = within & prepared.facet_mask(fieldname, value)
        evaluation = evaluate(prepared, query, scored=not by_date, within=within)
        mask = evaluation.mask & within
        if excluded is not None:  # only has to be found, not scored
            mask = mask & ~evaluate(prepared, excluded, scored=False, within=mask).mask
        docnums = top(prepared, evaluation, mask, by_date, stop)[start:stop]
        scores = [] if by_date else evaluation.scores[docnums].tolist()
        return Matches(
            total=int(np.count_nonzero(mask)),
            docnums=docnums,
            scores=scores,
            facets=prepared.facet_counts(mask),
        )
