"""A posting list's positions decoded at once are the positions Whoosh's format decodes."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from whoosh.formats import Characters, Positions

from portal.search.positions import decode_positions

FORMAT = Positions()
# Small numbers (one byte), larger ones (two and four bytes, negative differences when out of
# order) and ones past four bytes, which pickle writes otherwise.
NUMBERS = st.one_of(st.integers(0, 300), st.integers(0, 70_000), st.integers(0, 2**33))
POSTINGS = st.lists(st.lists(NUMBERS, max_size=20).map(sorted) | st.lists(NUMBERS, max_size=5))


def whooshs(values: list[bytes], format_=FORMAT) -> list[list[int]]:
    return [format_.decode_positions(value) for value in values]


def decoded(values: list[bytes], **options) -> list[list[int]]:
    counts, flat = decode_positions(values, FORMAT, **options)
    assert len(counts) == len(values)
    return [piece.tolist() for piece in np.split(flat, np.cumsum(counts)[:-1])][: len(values)]


@given(POSTINGS, st.integers(1, 25))
def test_a_posting_lists_positions_are_those_whooshs_format_decodes(postings, max_steps) -> None:
    values = [FORMAT.encode(places) for places in postings]
    expected = whooshs(values)
    assert decoded(values) == expected
    # Postings with more positions than the steps taken are decoded by the format itself.
    assert decoded(values, max_steps=max_steps) == expected


def test_more_positions_than_one_pickle_batch() -> None:
    values = [FORMAT.encode(list(range(0, 3 * n, 3))) for n in (999, 1000, 1001, 2500, 1)]
    assert decoded(values, max_steps=3000) == whooshs(values)


def test_another_format_is_decoded_by_its_own_decoder() -> None:
    characters = Characters()
    values = [characters.encode([(0, 0, 4), (7, 30, 36)]), characters.encode([(2, 9, 12)])]
    counts, flat = decode_positions(values, characters)
    assert counts.tolist() == [2, 1]
    assert flat.tolist() == [0, 7, 2]
    assert decode_positions([], FORMAT)[0].tolist() == []
