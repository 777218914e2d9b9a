"""Reading and validating the content folder: press releases, plain pages, their attachments
and victim registration notices."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from portal.content.files import (
    DRAFT_FIELD,
    PUBLICATION_FIELDS,
    ContentError,
    ContentProblem,
    FileReport,
    Invalid,
    Schema,
    date_value,
    describe,
    flag_value,
    in_folder,
    keys_value,
    read_content_file,
    rendered_fields,
    text_value,
)
from portal.content.language_versions import check_versions_agree
from portal.content.statistics import StatisticsSet, read_statistics
from portal.content.victims import (
    NOTICE_SHARED_FACTS,
    VICTIMS_FILE,
    VictimNoticeFile,
    read_victim_notice,
)

PRESS_FILE = re.compile(r"^press/(?P<year>\d{4})/(?P<slug>[^/.]+)\.(?P<lang>[^/.]+)\.md$")
PAGE_FILE = re.compile(r"^pages/(?P<slug>[^/.]+)\.(?P<lang>[^/.]+)\.md$")

# Attachments the portal serves, by file ending, with the media type it sends them as.
ATTACHMENT_TYPES = {
    ".pdf": ("application/pdf", "PDF"),
    ".doc": ("application/msword", "Word"),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word"),
    ".odt": ("application/vnd.oasis.opendocument.text", "OpenDocument"),
    ".xls": ("application/vnd.ms-excel", "Excel"),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel"),
    ".ods": ("application/vnd.oasis.opendocument.spreadsheet", "OpenDocument"),
    ".csv": ("text/csv", "CSV"),
    ".txt": ("text/plain", "Text"),
}


@dataclass(frozen=True)
class Attachment:
    """A document published with a press release; `file` is None when only its title is known."""

    title: str
    file: str | None = None
    media_type: str | None = None
    format_name: str | None = None
    size: int | None = None
    sha256: str | None = None


@dataclass(frozen=True)
class PressReleaseFile:
    """One language version of a press release, validated and rendered."""

    year: int
    slug: str
    lang: str
    title: str
    date: dt.date
    summary: str
    body_html: str
    source_path: str
    source_hash: str
    tags: tuple[str, ...] = ()
    collections: tuple[str, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    translation_note: str | None = None
    sample_translation: bool = False
    draft: bool = False

    @property
    def publish_on(self) -> dt.date:
        """A release is published on its date."""
        return self.date


@dataclass(frozen=True)
class PageFile:
    """One language version of a plain page such as About or the re-use licence."""

    slug: str
    lang: str
    title: str
    summary: str
    body_html: str
    source_path: str
    source_hash: str
    updated: dt.date | None = None
    draft: bool = False
    publish_on: dt.date | None = None


@dataclass
class ContentSet:
    """Everything in a content folder, ready to be synced into the database, and the files
    held back because they are still marked FILL-IN (a warning each)."""

    press_releases: list[PressReleaseFile] = field(default_factory=list)
    pages: list[PageFile] = field(default_factory=list)
    victim_notices: list[VictimNoticeFile] = field(default_factory=list)
    statistics: StatisticsSet = field(default_factory=StatisticsSet)
    held_back: list[ContentProblem] = field(default_factory=list)


def _attachment_entries(value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        raise Invalid(f"expected a list of {{file: ..., title: ...}}, got {describe(value)}")
    for number, item in enumerate(value, start=1):
        if not isinstance(item, dict) or "title" not in item:
            raise Invalid(f"item {number}: expected {{file: ..., title: ...}} with a title")
        unknown = set(item) - {"file", "title"}
        if unknown:
            raise Invalid(
                f"item {number}: unknown key {sorted(unknown)[0]!r}; allowed: file, title"
            )
        text_value(item["title"])
        if "file" in item:
            text_value(item["file"])
    return value


PRESS_FIELDS: Schema = {
    "title": (text_value, True),
    "date": (date_value, True),
    "summary": (text_value, True),
    "tags": (keys_value, False),
    "collections": (keys_value, False),
    "attachments": (_attachment_entries, False),
    "translation_note": (text_value, False),
    "sample_translation": (flag_value, False),
    **DRAFT_FIELD,
}
PAGE_FIELDS: Schema = {
    "title": (text_value, True),
    "summary": (text_value, True),
    "updated": (date_value, False),
    **PUBLICATION_FIELDS,
}


def _read_attachments(
    entries: list[dict[str, Any]], base: Path, content_dir: Path, report: FileReport
) -> tuple[tuple[Attachment, ...], list[bytes]]:
    attachments: list[Attachment] = []
    digests: list[bytes] = []
    for number, entry in enumerate(entries, start=1):
        title = entry["title"].strip()
        if "file" not in entry:
            attachments.append(Attachment(title=title))
            continue
        target = (base / entry["file"].strip()).resolve()
        label = f"attachments[{number}].file"
        if not target.is_relative_to(content_dir.resolve()):
            report.add(label, f"'{entry['file']}' points outside the content folder")
            continue
        if not target.is_file():
            report.add(label, f"'{entry['file']}' does not exist next to this file")
            continue
        kind = ATTACHMENT_TYPES.get(target.suffix.lower())
        if kind is None:
            report.add(label, f"expected one of {', '.join(ATTACHMENT_TYPES)}, got '{target.name}'")
            continue
        data = target.read_bytes()
        digest = hashlib.sha256(data)
        digests.append(digest.digest())
        attachments.append(
            Attachment(
                title=title,
                file=target.relative_to(content_dir.resolve()).as_posix(),
                media_type=kind[0],
                format_name=kind[1],
                size=len(data),
                sha256=digest.hexdigest(),
            )
        )
    return tuple(attachments), digests


def _read_press_release(
    path: Path, match: re.Match[str], content_dir: Path, collections: set[str], report: FileReport
) -> PressReleaseFile | None:
    year, slug, lang = int(match["year"]), match["slug"], match["lang"]
    parsed = read_content_file(path, slug, lang, PRESS_FIELDS, report)
    if parsed is None:
        return None
    values = parsed.values
    if "date" in values and values["date"].year != year:
        report.add("date", f"expected a date in {year}, the year folder of this file")
    for key in values.get("collections", ()):
        if key not in collections:
            known = ", ".join(sorted(collections)) or "none yet"
            report.add("collections", f"'{key}' is not a typical-case collection; known: {known}")
    attachments, digests = _read_attachments(
        values.get("attachments", []), path.parent, content_dir, report
    )
    if not report.complete:
        return None
    return PressReleaseFile(
        year=year,
        slug=slug,
        lang=lang,
        title=values["title"],
        date=values["date"],
        summary=values["summary"],
        **rendered_fields(parsed, report, paragraph_ids=True, extra_hash=digests),
        tags=values.get("tags", ()),
        collections=values.get("collections", ()),
        attachments=attachments,
        translation_note=values.get("translation_note"),
        sample_translation=values.get("sample_translation", False),
    )


def _read_page(path: Path, match: re.Match[str], report: FileReport) -> PageFile | None:
    slug, lang = match["slug"], match["lang"]
    parsed = read_content_file(path, slug, lang, PAGE_FIELDS, report)
    if parsed is None or not report.complete:
        return None
    values = parsed.values
    return PageFile(
        slug=slug,
        lang=lang,
        title=values["title"],
        summary=values["summary"],
        **rendered_fields(parsed, report),
        updated=values.get("updated"),
        publish_on=values.get("publish_on"),
    )


def read_content(content_dir: Path, collections: Iterable[str] = ()) -> ContentSet:
    """Read and validate every file under `content_dir`; raise ContentError listing all problems."""
    content_dir = Path(content_dir)
    known_collections = set(collections)
    problems: list[ContentProblem] = []
    content = ContentSet()
    if not content_dir.is_dir():
        raise ContentError([ContentProblem(str(content_dir), None, "content folder not found")])
    for path in sorted(content_dir.rglob("*.md")):
        relative = path.relative_to(content_dir).as_posix()
        if relative in ("README.md", "statistics/README.md"):
            continue
        report = FileReport(relative, problems, content.held_back)
        if match := PRESS_FILE.match(relative):
            release = _read_press_release(path, match, content_dir, known_collections, report)
            if release:
                content.press_releases.append(release)
        elif match := PAGE_FILE.match(relative):
            page = _read_page(path, match, report)
            if page:
                content.pages.append(page)
        elif match := VICTIMS_FILE.match(relative):
            notice = read_victim_notice(path, match, report)
            if notice:
                content.victim_notices.append(notice)
        else:
            report.add(
                None,
                "is not where content goes: expected press/<yyyy>/<slug>.<lang>.md, "
                "pages/<slug>.<lang>.md, victims/<case-key>.<lang>.md or statistics/<name>.yaml",
            )
    check_versions_agree(
        content.press_releases,
        lambda release: (release.year, release.slug),
        "a release share one date",
        {"date": "date"},
        problems,
    )
    check_versions_agree(
        content.victim_notices,
        lambda notice: notice.key,
        "a notice share its dates and payout figures",
        NOTICE_SHARED_FACTS,
        problems,
    )
    content.statistics = read_statistics(content_dir, content.press_releases, problems)
    content.held_back = in_folder(content.held_back, content_dir)
    if problems:
        raise ContentError(in_folder(problems, content_dir))
    return content
