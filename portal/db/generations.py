"""Generation counters: a number that moves whenever the published content changes, so that
what is computed from the content (rendered pages, facet counts) can be kept until it does."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from portal.db.models import Generation

CONTENT = "content"

Value = TypeVar("Value")


# Read on every request: built once, and run on the connection without the ORM's work.
_GENERATION_QUERY = select(Generation.value).where(Generation.name == bindparam("name"))


def current_generation(session: Session, name: str = CONTENT) -> int:
    """The generation of `name` as the database holds it (0 before anything was loaded)."""
    return session.connection().scalar(_GENERATION_QUERY, {"name": name}) or 0


def advance_generation(session: Session, name: str = CONTENT) -> None:
    """Move `name` to a new generation, in the caller's transaction."""
    moved = session.execute(
        update(Generation).where(Generation.name == name).values(value=Generation.value + 1)
    )
    if moved.rowcount == 0:  # type: ignore[attr-defined]
        session.add(Generation(name=name, value=1))


class GenerationCache(Generic[Value]):
    """At most `size` values, each kept while the generation it was computed in is current."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[Hashable, Value] = OrderedDict()
        self._generation: int | None = None
        self._lock = threading.Lock()

    def get(self, generation: int, key: Hashable) -> Value | None:
        """The value kept for `key`, if it was computed in `generation`."""
        with self._lock:
            if generation != self._generation:
                self._entries.clear()
                self._generation = generation
                return None
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def put(self, generation: int, key: Hashable, value: Value) -> None:
        """Keep `value` for `key`, dropping the least recently used value when full."""
        with self._lock:
            if generation != self._generation:
                self._entries.clear()
                self._generation = generation
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def get_or_compute(self, generation: int, key: Hashable, compute: Callable[[], Value]) -> Value:
        """The value for `key` in `generation`, computed (outside the lock) when not kept."""
        value = self.get(generation, key)
        if value is None:
            value = compute()
            self.put(generation, key, value)
        return value
