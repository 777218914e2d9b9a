"""Keeping the search index in step with the database: a full rebuild (`portal index`) and the
update after `portal load`."""

from __future__ import annotations

import itertools
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker
from whoosh import index as whoosh_index

from portal.db.sync import SyncReport
from portal.search.documents import (
    all_documents,
    case_doc_id,
    count_documents,
    documents_for,
    press_doc_id,
    victims_doc_id,
)
from portal.search.index import IndexCheckFailed, rebuild, update
from portal.search.query import build_query, parse_query


def _checker(expected: int, canonical_title: str | None):
    def check(directory: Path) -> None:
        with whoosh_index.open_dir(str(directory)).searcher() as searcher:
            if searcher.doc_count() != expected:
                raise IndexCheckFailed(
                    f"the new index holds {searcher.doc_count()} documents, the database "
                    f"{expected}; the old index keeps serving"
                )
            query = build_query(parse_query(canonical_title or ""))
            # Whether any document matches: no scoring, so no block-quality shortcut (#461).
            if canonical_title and next(iter(searcher.docs_for_query(query)), None) is None:
                raise IndexCheckFailed(
                    f"the new index does not find {canonical_title!r}; the old index keeps serving"
                )

    return check


def rebuild_search_index(
    session_factory: sessionmaker[Session], root: Path, processes: int = 1
) -> int:
    """Rebuild the whole index from the database, check it and swap it in; returns its size."""
    with session_factory() as session:
        expected = count_documents(session)
        # Streamed: the index's writer processes start on the first documents while the
        # database is still being read.
        documents = all_documents(session)
        first = next(documents, None)
        canonical = first.title if first else None
        every = itertools.chain([first] if first else [], documents)
        rebuild(root, every, _checker(expected, canonical), processes=processes)
    return expected


def update_search_index(
    session_factory: sessionmaker[Session], root: Path, report: SyncReport
) -> str:
    """Bring the index up to date with what a load changed (rebuilding it if there is none);
    returns a line for the CLI."""
    written = [press_doc_id(*key) for key in report.written_keys.get("press releases", [])]
    removed = [press_doc_id(*key) for key in report.removed_keys.get("press releases", [])]
    removed += [case_doc_id(*key) for key in report.removed_keys.get("cases", [])]
    written += [victims_doc_id(*key) for key in report.written_keys.get("victim notices", [])]
    removed += [victims_doc_id(*key) for key in report.removed_keys.get("victim notices", [])]
    with session_factory() as session:
        if report.written_keys.get("vocabulary terms") or report.written_keys.get("collections"):
            # A case's text holds its collection's title and its vocabulary labels.
            written += [d.doc_id for d in all_documents(session) if d.kind == "case"]
        else:
            written += [case_doc_id(*key) for key in report.written_keys.get("cases", [])]
        if not written and not removed:
            return "search index unchanged"
        changed = documents_for(session, written)
    # A written row that is no document now (made a draft, or scheduled) leaves the index.
    removed += sorted(set(written) - {document.doc_id for document in changed})
    if not update(root, changed, removed):
        size = rebuild_search_index(session_factory, root)
        return f"search index built: {size} documents"
    return f"search index: {len(changed)} updated, {len(removed)} removed"
