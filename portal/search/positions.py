"""A posting list's positions decoded all at once, as Whoosh's `Positions` format decodes each.

Whoosh's `Positions.encode` writes a posting's positions as their count (four bytes, big-endian)
and a pickle (protocol 2) of the list of their differences. Decoding them one posting at a time
(`matcher.value_as("positions")`) costs a pickle load and a Python loop per posting, the larger
part of reading a common word for a phrase. Here the values of a whole posting list are walked
together with numpy, one step per position's place in its posting rather than per posting.

Only the shapes that format writes are read so: a value of any other shape, or of another
format, is decoded by the format's own decoder. tests/search/test_positions.py checks that both
give the same positions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
from whoosh.formats import Format, Positions

# What comes after the count: pickle's protocol 2 header, an empty list, and its memo entry.
PICKLED_LIST = np.frombuffer(b"\x80\x02]q\x00", np.uint8)
COUNT_BYTES = 4
# pickle appends a list's items in batches of this many, each between a mark and an APPENDS.
PICKLE_BATCH = 1000
# Opcodes of an integer item and how many bytes each takes with its argument.
ITEM_BYTES = np.zeros(256, np.int64)
ITEM_BYTES[[ord("K"), ord("M"), ord("J")]] = (2, 3, 5)  # 1, 2 and 4 bytes, little-endian
MARK, APPEND, APPENDS, STOP = (ord(code) for code in "(ae.")
# Postings with more positions than this are left to the format's decoder: the few that have
# them would otherwise cost one numpy step each of their positions.
MAX_STEPS = 64
# Room after the last value, so that reading a short one's count and list header (or a
# malformed one's next bytes) stays in the buffer.
PADDING = 16


def decode_positions(
    values: Sequence[bytes], format_: Format, max_steps: int = MAX_STEPS
) -> tuple[np.ndarray, np.ndarray]:
    """Each encoded value's positions: how many each has, and all of them in order, flat."""
    decoder = format_.decoder("positions")
    if type(format_) is not Positions or not values:
        return _decode_each(values, decoder)
    number = len(values)
    lengths = np.fromiter(map(len, values), np.int64, number)
    ends = np.cumsum(lengths)
    starts = ends - lengths
    data = np.frombuffer(b"".join(values) + bytes(PADDING), np.uint8)

    header = data[starts[:, None] + np.arange(COUNT_BYTES)].astype(np.int64)
    counts = np.zeros(number, np.int64)
    for column in range(COUNT_BYTES):
        counts = (counts << 8) | header[:, column]
    body = starts[:, None] + COUNT_BYTES + np.arange(len(PICKLED_LIST))
    # A value too short for its header or count reads padding or its neighbour: its tail
    # check below fails, and it goes to the decoder.
    good = (data[body] == PICKLED_LIST).all(axis=1) & (counts <= min(PICKLE_BATCH, max_steps))
    counts[~good] = 0
    cursor = starts + COUNT_BYTES + len(PICKLED_LIST)
    several = counts > 1
    good &= ~several | (data[cursor] == MARK)
    cursor += several

    firsts = np.cumsum(counts) - counts
    deltas = np.zeros(int(counts.sum()), np.int64)
    active = np.flatnonzero(good & (counts > 0))
    for step in range(int(counts.max(initial=0))):
        active = active[counts[active] > step]
        at = cursor[active]
        size = ITEM_BYTES[data[at]]
        known = (size > 0) & (at + size <= ends[active])
        if not known.all():
            good[active[~known]] = False
            active, at, size = active[known], at[known], size[known]
        item = data[at + 1].astype(np.int64)
        item |= np.where(size >= 3, data[at + 2].astype(np.int64) << 8, 0)
        wide = size == 5
        if wide.any():
            high = (data[at + 3].astype(np.int64) << 16) | (data[at + 4].astype(np.int64) << 24)
            item |= np.where(wide, high, 0)
            item = np.where(wide & (item >= 1 << 31), item - (1 << 32), item)  # signed
        deltas[firsts[active] + step] = item
        cursor[active] = at + size

    tail = np.where(counts == 0, STOP, np.where(counts == 1, APPEND, APPENDS))
    closed = (counts == 0) | (data[cursor + 1] == STOP)
    good &= (data[cursor] == tail) & closed & (cursor + (counts > 0) + 1 == ends)
    # Each value's positions are the running sums of its differences.
    totals = np.concatenate(([0], np.cumsum(deltas)))
    positions = totals[1:] - np.repeat(totals[firsts], counts)
    if good.all():
        return counts, positions
    # The rest by the format's own decoder, in their places.
    pieces = np.split(positions, np.cumsum(counts)[:-1])
    for at in np.flatnonzero(~good).tolist():
        pieces[at] = np.asarray(decoder(values[at]), dtype=np.int64)
    counts = np.fromiter(map(len, pieces), np.int64, number)
    return counts, np.concatenate(pieces)


def _decode_each(values: Iterable[bytes], decoder) -> tuple[np.ndarray, np.ndarray]:
    places = [decoder(value) for value in values]
    counts = np.fromiter(map(len, places), np.int64, len(places))
    flat = np.fromiter((p for here in places for p in here), np.int64, int(counts.sum()))
    return counts, flat
