"""What an evaluator answers for a query, and the interface every evaluator offers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from whoosh.query import Query
from whoosh.searching import Searcher


@dataclass(frozen=True)
class Matches:
    """A query's matches: how many, one page of document numbers in order (with their scores
    when ranked by relevance) and each facet's values with their counts over all matches."""

    total: int
    docnums: list[int]
    scores: list[float]
    facets: dict[str, list[tuple[str, int]]]


def ordered_counts(counts: Mapping[Any, int]) -> list[tuple[str, int]]:
    """A facet's values that some match has, most frequent first, then by value."""
    named = {
        (value.decode("utf-8") if isinstance(value, bytes) else str(value)): number
        for value, number in counts.items()
        if value not in (None, "", b"") and number
    }
    return sorted(named.items(), key=lambda item: (-item[1], item[0]))


class Evaluator(Protocol):
    """Answers a query over one searcher's index generation."""

    name: str

    def prepare(self, searcher: Searcher) -> Any:
        """What `matches` needs of this searcher, made once per index generation."""

    def matches(
        self,
        prepared: Any,
        query: Query,
        excluded: Query | None,
        filters: dict[str, str],
        by_date: bool,
        start: int,
        stop: int,
    ) -> Matches:
        """The total, the documents from `start` to `stop` in order, and facet counts, of the
        documents that match `query`, not `excluded`, and have every (field, value) of
        `filters`."""
