"""The array evaluator: the same answers as Whoosh's own searcher, computed over whole arrays.

Quarantined here, behind the evaluator interface of `portal.search.searcher`, and proven equal
to `searcher.search` by tests/search/test_engine.py (same hits, totals, facet counts, and order
up to equal scores). It reads the index only through Whoosh's public reader and matcher
methods: `postings`, `is_active`, `id`, `weight`, `skip_to`, `value_as("positions")`,
`doc_field_length`, `column_reader`, `idf`, `avg_field_length`.

A word's documents become a boolean mask and a score array over the whole index: a word is an
OR over fields, words are ANDed, exclusions and facet filters are masks, the total is the
mask's count and each facet one `bincount`. Scores are Whoosh's BM25F (its `bm25` function
with its idf, average field lengths, stored lengths and weights, which include the title's
field boost); a phrase scores the sum of its words' scores, as Whoosh's phrase matcher does.
Nothing here skips blocks, so Whoosh's block-quality shortcut (whoosh#461) is not involved.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from whoosh.query import And, Every, NullQuery, Or, Phrase, Query, Term
from whoosh.scoring import BM25F
from whoosh.searching import Searcher

from portal.search.matches import Matches, ordered_counts

# Whoosh's BM25F defaults, which the portal's searcher uses.
B, K1 = BM25F().B, BM25F().K1


class Snapshot:
    """What one index generation needs for answering queries as arrays: liveness, field
    lengths, dates and facet values coded as integers; read once when a searcher opens."""

    def __init__(self, searcher: Searcher, facets: dict[str, str], text_fields: list[str]) -> None:
        self.searcher = searcher
        reader = searcher.reader()
        self.leaves = list(reader.leaf_readers())
        self.size = size = reader.doc_count_all()
        self.live = np.ones(size, dtype=bool)
        if reader.has_deletions():
            self.live[[d for d in range(size) if reader.is_deleted(d)]] = False
        # Whoosh's scorer takes a missing length as 1.
        self.lengths = {
            name: np.fromiter(
                (reader.doc_field_length(d, name, 1) for d in range(size)), np.float64, size
            )
            for name in text_fields
        }
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

    def _column(self, fieldname: str, translate: bool, default: Any) -> list[Any]:
        values: list[Any] = []
        for leaf, _offset in self.leaves:
            count = leaf.doc_count_all()
            if leaf.has_column(fieldname):
                values.extend(leaf.column_reader(fieldname, translate=translate))
            else:
                values.extend([default] * count)
        return values

    def postings(
        self, fieldname: str, btext: bytes, scored: bool = True
    ) -> tuple[np.ndarray, np.ndarray]:
        """A term's document numbers (ascending) and, if `scored`, weights over every
        segment (one Python step per posting: the matcher's methods are the public way)."""
        ids: list[int] = []
        weights: list[float] = []
        for leaf, offset in self.leaves:
            if (fieldname, btext) not in leaf:
                continue
            matcher = leaf.postings(fieldname, btext)
            if not scored:
                ids.extend(docnum + offset for docnum in matcher.all_ids())
                continue
            is_active, docnum, weight, step = (
                matcher.is_active,
                matcher.id,
                matcher.weight,
                matcher.next,
            )
            while is_active():
                ids.append(docnum() + offset)
                weights.append(weight())
                step()
        return np.asarray(ids, dtype=np.int64), np.asarray(weights, dtype=np.float64)

    def read_at(
        self, fieldname: str, btext: bytes, docnums: np.ndarray
    ) -> tuple[list[set[int]], np.ndarray]:
        """The term's positions and weight in each of these documents (ascending): no
        positions and weight 0 where it is not. One skip per document, not a walk of every
        posting: cheaper when the documents are fewer than the term's."""
        found: list[set[int]] = [set() for _ in range(len(docnums))]
        weights = np.zeros(len(docnums))
        at = 0
        for leaf, offset in self.leaves:
            local = docnums[(docnums >= offset) & (docnums < offset + leaf.doc_count_all())]
            if len(local) and (fieldname, btext) in leaf:
                matcher = leaf.postings(fieldname, btext)
                for place, docnum in enumerate((local - offset).tolist(), start=at):
                    if matcher.is_active() and matcher.id() < docnum:
                        matcher.skip_to(docnum)
                    if not matcher.is_active():
                        break
                    if matcher.id() == docnum:
                        found[place] = set(matcher.value_as("positions"))
                        weights[place] = matcher.weight()
            at += len(local)
        return found, weights

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
    ids, weights = snapshot.postings(query.fieldname, btext, scored)
    mask, scores = np.zeros(snapshot.size, dtype=bool), np.zeros(snapshot.size)
    if len(ids):
        mask[ids] = True
    if len(ids) and scored:
        scores[ids] = snapshot.bm25(query.fieldname, btext, ids, weights)
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
    # The rarest word's documents are walked; every other word is read only at those where the
    # words so far still follow one another, rarest first (one skip per document), so a
    # phrase costs about its rarest word, not its commonest.
    rarity = [snapshot.searcher.doc_frequency(query.fieldname, word) for word in words]
    order = sorted(range(len(words)), key=lambda position: (rarity[position], position))
    candidates, _weights = snapshot.postings(query.fieldname, words[order[0]], scored=False)
    candidates = candidates[(snapshot.live if within is None else within)[candidates]]
    starts: list[set[int]] | None = None  # where the phrase may start in each candidate
    weights: list[np.ndarray] = []  # each word read so far, at the candidates, in `order`
    for position in order:
        places, word_weights = snapshot.read_at(query.fieldname, words[position], candidates)
        shifted = [{p - position for p in here} for here in places]
        if starts is None:
            starts = shifted
        else:
            for found, here in zip(starts, shifted, strict=True):
                found.intersection_update(here)
        going = np.fromiter(map(bool, starts), bool, len(starts))
        candidates, starts = candidates[going], [found for found in starts if found]
        weights = [each[going] for each in weights] + [word_weights[going]]
        if not starts:
            return Evaluation(mask, scores)
    mask[candidates] = True
    if scored:  # summed in the phrase's order, as Whoosh sums them
        read = dict(zip(order, weights, strict=True))
        for position, word in enumerate(words):
            scores[candidates] += snapshot.bm25(query.fieldname, word, candidates, read[position])
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

    def __init__(self, facets: dict[str, str], text_fields: list[str]) -> None:
        self.facets = facets
        self.text_fields = text_fields

    def prepare(self, searcher: Searcher) -> Snapshot:
        """The arrays of this searcher's index generation."""
        return Snapshot(searcher, self.facets, self.text_fields)

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
