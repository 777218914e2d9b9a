"""`portal load`: validate the content and cases folders, then sync the database in one
transaction. Nothing is written unless every file is valid."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from portal.content.cases import (
    CaseSet,
    link_collections_to_releases,
    publish_with_parents,
    read_cases,
)
from portal.content.files import ContentError, ContentProblem, in_folder
from portal.content.press import ContentSet, read_content
from portal.db.sync import SyncReport, sync_site


def known_collections(cases_dir: Path) -> set[str]:
    """Keys of the typical-case collections under `cases_dir` (folders with a collection file)."""
    if not cases_dir.is_dir():
        return set()
    return {
        folder.name
        for folder in cases_dir.iterdir()
        if folder.is_dir() and any(folder.glob("collection.*.md"))
    }


def read_site(content_dir: Path, cases_dir: Path) -> tuple[ContentSet, CaseSet]:
    """Read and validate both folders; raise ContentError listing every problem in either.
    Files still marked FILL-IN are held back (see `held_back`), not problems."""
    case_set, problems = read_cases(cases_dir)
    content = ContentSet()
    try:
        content = read_content(content_dir, known_collections(cases_dir))
    except ContentError as error:
        problems.extend(error.problems)
    release_problems: list[ContentProblem] = []
    link_collections_to_releases(case_set, content.press_releases, release_problems)
    problems.extend(in_folder(release_problems, content_dir))
    if problems:
        raise ContentError(problems)
    publish_with_parents(case_set, content.press_releases)
    return content, case_set


def load_content(
    session_factory: sessionmaker[Session], content_dir: Path, cases_dir: Path
) -> SyncReport:
    """Validate everything first (ContentError on any problem), then sync in one transaction."""
    content, case_set = read_site(content_dir, cases_dir)
    with session_factory.begin() as session:
        report = sync_site(session, content, case_set)
    report.held_back = [*content.held_back, *case_set.held_back]
    return report
