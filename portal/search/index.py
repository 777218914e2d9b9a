"""The search index on disk: its schema, building it whole into a new directory and swapping it
in atomically, updating it in place, and one writer at a time.

Layout of the index root (PORTAL_INDEX_DIR): `current` is a symlink to the live index directory
(`index-<time>-<pid>`); a rebuild writes a new directory, checks it, then replaces the symlink
with one rename, so readers see the old index or the new one, never a half-built one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import re
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from whoosh import columns
from whoosh import index as whoosh_index
from whoosh.fields import DATETIME, ID, KEYWORD, STORED, TEXT, Schema
from whoosh.formats import Existence

from portal.search.analysis import CHINESE_WORDS, ENGLISH, SPELLING, warm_up

CURRENT = "current"
LOCK_FILE = ".write.lock"
INDEX_PREFIX = "index-"
# Stored text used for highlighted snippets is cut here: highlighting re-analyses it per hit.
EXCERPT_SOURCE_CHARS = 4000


def make_schema() -> Schema:
    """The one schema of the portal's index: text fields per language, facets, display data."""
    return Schema(
        doc_id=ID(unique=True, stored=True),
        kind=ID(stored=True, sortable=True),
        lang=ID(stored=True, sortable=True),
        court=ID(stored=True, sortable=True),
        cause=ID(stored=True, sortable=True),
        category=ID(stored=True, sortable=True),
        year=ID(stored=True, sortable=True),
        measure=KeywordList(stored=True, commas=True, sortable=True),
        date=DATETIME(stored=True, sortable=True),
        title=STORED,
        summary=STORED,
        excerpt_source=STORED,
        route=STORED,  # what the web layer needs to link to the item
        title_en=TEXT(analyzer=ENGLISH, field_boost=4.0),
        body_en=TEXT(analyzer=ENGLISH),
        title_zh=TEXT(analyzer=CHINESE_WORDS, field_boost=4.0),
        body_zh=TEXT(analyzer=CHINESE_WORDS),
        words=_spelling_field(),
    )


class KeywordList(KEYWORD):
    """Comma-separated keywords whose column holds each document's list of them, so Whoosh's
    overlapping facet reads a document's keywords from the column instead of walking every
    posting of the field at each search. Segments keep a pickled instance: the class must stay
    importable under this name."""

    def default_column(self) -> columns.Column:
        return columns.VarBytesListColumn()

    def to_column_value(self, value: str) -> list[bytes]:
        return [self.to_bytes(word) for word in value.split(",") if word]

    def from_column_value(self, value: list[bytes]) -> list[str]:
        return [self.from_bytes(word) for word in value]


def _spelling_field() -> TEXT:
    # The dictionary of "did you mean" needs only which words occur, so each document gives
    # each of its words once, without frequencies. (It keeps its lengths: when a segment is
    # written, Whoosh looks for a field's lengths at every posting, and for a field without
    # them that is a file system call each time.)
    words = TEXT(analyzer=SPELLING, phrase=False)
    words.format = Existence()
    return words


_WORDS = re.compile(r"\w+(?:\.?\w+)*")  # the spelling analyzer's words (Whoosh's default)


def distinct_words(text: str) -> str:
    """Each word of the text once, lowercased: what the spelling dictionary indexes."""
    return " ".join(dict.fromkeys(word.lower() for word in _WORDS.findall(text)))


@dataclass(frozen=True)
class SearchDocument:
    """One press release or case in one language, as the index sees it."""

    doc_id: str
    kind: str  # "press", "case" or "victims"
    lang: str
    title: str
    summary: str
    body: str
    date: dt.date
    route: dict[str, object]
    year: str
    court: str = ""
    cause: str = ""
    category: str = ""
    measures: tuple[str, ...] = field(default_factory=tuple)

    def fields(self) -> dict[str, object]:
        """The document as Whoosh fields: its text goes into its own language's fields."""
        text = f"{self.summary}\n{self.body}"
        values: dict[str, object] = {
            "doc_id": self.doc_id,
            "kind": self.kind,
            "lang": self.lang,
            "year": self.year,
            "date": dt.datetime.combine(self.date, dt.time()),
            "title": self.title,
            "summary": self.summary,
            "excerpt_source": text[:EXCERPT_SOURCE_CHARS],
            "route": self.route,
        }
        for name in ("court", "cause", "category"):
            if getattr(self, name):
                values[name] = getattr(self, name)
        # Always given, if empty: a segment where no document had the column would make
        # Whoosh look for a default that its list columns lack.
        values["measure"] = ",".join(self.measures)
        if self.lang == "zh":
            values.update(title_zh=self.title, body_zh=text)
        else:
            values.update(
                title_en=self.title, body_en=text, words=distinct_words(f"{self.title}\n{text}")
            )
        return values


class IndexLocked(RuntimeError):
    """Another process is writing the search index."""


class IndexCheckFailed(RuntimeError):
    """A freshly built index does not hold what the database holds; it was not swapped in."""


@contextlib.contextmanager
def writer_lock(root: Path) -> Iterator[None]:
    """Hold the index root's write lock, or raise IndexLocked at once naming who holds it."""
    root.mkdir(parents=True, exist_ok=True)
    path = root / LOCK_FILE
    with path.open("a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise IndexLocked(
                f"the search index at {root} is being written by {holder}; "
                "wait for it to finish and try again"
            ) from error
        handle.seek(0)
        handle.truncate()
        handle.write(f"process {os.getpid()} since {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M:%S} UTC")
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)


def current_index_dir(root: Path) -> Path | None:
    """The live index directory, or None if no index was ever swapped in."""
    link = root / CURRENT
    return link.resolve() if link.is_symlink() and link.resolve().is_dir() else None


def _swap_in(root: Path, new_dir: Path) -> None:
    temporary = root / f".{CURRENT}-{os.getpid()}"
    with contextlib.suppress(FileNotFoundError):
        temporary.unlink()
    temporary.symlink_to(new_dir.name)
    os.replace(temporary, root / CURRENT)  # atomic: readers see the old or the new target


def _remove_old_indexes(root: Path, keep: set[Path]) -> None:
    # The index just replaced is kept one generation longer: a reader that resolved the link
    # an instant before the swap still finds it; its next search moves to the new one.
    for directory in root.glob(f"{INDEX_PREFIX}*"):
        if directory.is_dir() and directory.resolve() not in keep:
            shutil.rmtree(directory, ignore_errors=True)


def rebuild(
    root: Path,
    documents: Iterable[SearchDocument],
    check: Callable[[Path], None],
    processes: int = 1,
) -> Path:
    """Build a whole new index from `documents`, `check` it, and swap it in; on any failure the
    old index keeps serving and the new directory is removed."""
    with writer_lock(root):
        stamp = f"{time.strftime('%Y%m%d-%H%M%S')}-{time.time_ns() % 10**9:09d}-{os.getpid()}"
        new_dir = root / f"{INDEX_PREFIX}{stamp}"
        new_dir.mkdir(parents=True)
        try:
            index = whoosh_index.create_in(str(new_dir), make_schema())
            if processes > 1:
                warm_up()  # forked writers inherit jieba's dictionary instead of each loading it
            options: dict[str, Any] = {"limitmb": 1024}
            if processes > 1:
                options.update(procs=processes, multisegment=True)
            writer = index.writer(**options)
            try:
                for document in documents:
                    writer.add_document(**document.fields())
            except BaseException:
                writer.cancel()
                raise
            writer.commit(optimize=processes > 1)
            check(new_dir)
            previous = current_index_dir(root)
            _swap_in(root, new_dir)
        except BaseException:
            shutil.rmtree(new_dir, ignore_errors=True)
            raise
        _remove_old_indexes(root, keep={new_dir.resolve(), *filter(None, [previous])})
        return new_dir


def update(root: Path, changed: Iterable[SearchDocument], removed_ids: Iterable[str]) -> bool:
    """Bring the live index up to date in place: replace `changed`, purge `removed_ids`.
    Returns False when there is no live index to update (then a rebuild is needed)."""
    changed, removed_ids = list(changed), list(removed_ids)
    with writer_lock(root):
        directory = current_index_dir(root)
        if directory is None:
            return False
        index = whoosh_index.open_dir(str(directory))
        writer = index.writer()
        try:
            for doc_id in removed_ids:
                writer.delete_by_term("doc_id", doc_id)
            for document in changed:
                writer.update_document(**document.fields())
        except BaseException:
            writer.cancel()
            raise
        # Merging everything drops deleted documents from disk instead of only marking them.
        writer.commit(optimize=bool(removed_ids or changed))
        return True
