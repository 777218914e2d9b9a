"""`portal load`: validate the content folders, then sync the database in one transaction."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from portal.content import read_content
from portal.sync import SyncReport, sync_content


def known_collections(cases_dir: Path) -> set[str]:
    """Keys of the typical-case collections under `cases_dir` (folders with a collection file)."""
    if not cases_dir.is_dir():
        return set()
    return {
        folder.name
        for folder in cases_dir.iterdir()
        if folder.is_dir() and any(folder.glob("collection.*.md"))
    }


def load_content(
    session_factory: sessionmaker[Session], content_dir: Path, cases_dir: Path
) -> SyncReport:
    """Validate everything first (ContentError on any problem), then sync in one transaction."""
    content = read_content(content_dir, known_collections(cases_dir))
    with session_factory.begin() as session:
        return sync_content(session, content)
