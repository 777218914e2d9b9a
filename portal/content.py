"""Reading and validating the content folder: press releases, plain pages and their attachments.

Every file is checked before anything is written anywhere; a problem names the file, the field
and what was expected, and all problems of a load are reported together.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import frontmatter
import yaml

from portal.i18n import LANGUAGE_CODES
from portal.markup import RENDERER_VERSION, render_markdown

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
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
class ContentProblem:
    """One thing wrong with one content file."""

    path: str
    field: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}: field '{self.field}'" if self.field else self.path
        return f"{where}: {self.message}"


class ContentError(Exception):
    """The content folder has problems; nothing was loaded."""

    def __init__(self, problems: list[ContentProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


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


@dataclass
class ContentSet:
    """Everything in a content folder, ready to be synced into the database."""

    press_releases: list[PressReleaseFile] = field(default_factory=list)
    pages: list[PageFile] = field(default_factory=list)


class _Invalid(ValueError):
    """A front-matter value that does not fit its field."""


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _Invalid(f"expected non-empty text, got {_describe(value)}")
    return value.strip()


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise _Invalid(f"expected a date written as YYYY-MM-DD, got {_describe(value)}")
    return value


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise _Invalid(f"expected true or false, got {_describe(value)}")
    return value


def _keys(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise _Invalid(f"expected a list of keys like [a-key, another-key], got {_describe(value)}")
    for item in value:
        if not isinstance(item, str) or not SLUG_PATTERN.match(item):
            raise _Invalid(
                f"expected keys of lowercase letters, digits and hyphens, got {_describe(item)}"
            )
    if len(set(value)) != len(value):
        raise _Invalid("lists the same key twice")
    return tuple(value)


def _attachment_entries(value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        raise _Invalid(f"expected a list of {{file: ..., title: ...}}, got {_describe(value)}")
    for number, item in enumerate(value, start=1):
        if not isinstance(item, dict) or "title" not in item:
            raise _Invalid(f"item {number}: expected {{file: ..., title: ...}} with a title")
        unknown = set(item) - {"file", "title"}
        if unknown:
            raise _Invalid(
                f"item {number}: unknown key {sorted(unknown)[0]!r}; allowed: file, title"
            )
        _text(item["title"])
        if "file" in item:
            _text(item["file"])
    return value


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, str):
        return repr(value) if value.strip() else "empty text"
    return f"{type(value).__name__} {value!r}"


Validator = Callable[[Any], Any]
PRESS_FIELDS: dict[str, tuple[Validator, bool]] = {
    "title": (_text, True),
    "date": (_date, True),
    "summary": (_text, True),
    "tags": (_keys, False),
    "collections": (_keys, False),
    "attachments": (_attachment_entries, False),
    "translation_note": (_text, False),
    "sample_translation": (_flag, False),
}
PAGE_FIELDS: dict[str, tuple[Validator, bool]] = {
    "title": (_text, True),
    "summary": (_text, True),
    "updated": (_date, False),
}


class _FileReport:
    """Collects the problems of one file."""

    def __init__(self, relative_path: str, problems: list[ContentProblem]) -> None:
        self.path = relative_path
        self.problems = problems
        self.ok = True

    def add(self, field_name: str | None, message: str) -> None:
        self.ok = False
        self.problems.append(ContentProblem(self.path, field_name, message))


def _parse_front_matter(raw: bytes, report: _FileReport) -> tuple[dict[str, Any], str] | None:
    """Read a file's YAML front matter with the safe loader, and its Markdown body."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        report.add(None, f"is not UTF-8 text (byte {error.start}); save it as UTF-8")
        return None
    if not text.lstrip("\ufeff").startswith("---"):
        report.add(None, "has no front matter: expected the file to start with a '---' line")
        return None
    try:
        # python-frontmatter's YAML handler uses yaml.SafeLoader: no tag can build an object.
        post = frontmatter.loads(text.lstrip("\ufeff"))
    except yaml.constructor.ConstructorError as error:
        report.add(None, f"front matter uses a YAML tag that is not allowed: {error.problem}")
        return None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        report.add(
            None, f"front matter is not valid YAML{where}: {getattr(error, 'problem', error)}"
        )
        return None
    except ValueError as error:  # a date-shaped value that is not a real date, e.g. 2021-02-30
        report.add(None, f"front matter holds an impossible date: {error}")
        return None
    return dict(post.metadata), post.content


def _validate_fields(
    metadata: dict[str, Any], schema: dict[str, tuple[Validator, bool]], report: _FileReport
) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in sorted(set(metadata) - set(schema), key=str):
        report.add(str(name), f"is not a known field; allowed: {', '.join(schema)}")
    for name, (validator, required) in schema.items():
        if name not in metadata:
            if required:
                report.add(name, "is required")
            continue
        try:
            values[name] = validator(metadata[name])
        except _Invalid as error:
            report.add(name, str(error))
    return values


@dataclass(frozen=True)
class _ParsedFile:
    values: dict[str, Any]
    body: str
    raw: bytes


def _read_content_file(
    path: Path,
    slug: str,
    lang: str,
    schema: dict[str, tuple[Validator, bool]],
    report: _FileReport,
) -> _ParsedFile | None:
    """Check a file's name, parse its front matter and validate it against `schema`."""
    if lang not in LANGUAGE_CODES:
        languages = ", ".join(LANGUAGE_CODES)
        report.add(None, f"language '{lang}' in the file name is not one of {languages}")
    if not SLUG_PATTERN.match(slug):
        report.add(None, f"slug '{slug}' must be lowercase letters, digits and hyphens")
    raw = path.read_bytes()
    parsed = _parse_front_matter(raw, report)
    if parsed is None:
        return None
    metadata, body = parsed
    return _ParsedFile(_validate_fields(metadata, schema, report), body, raw)


def _read_attachments(
    entries: list[dict[str, Any]], base: Path, content_dir: Path, report: _FileReport
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


def _source_hash(raw: bytes, extra: Iterable[bytes] = ()) -> str:
    digest = hashlib.sha256(RENDERER_VERSION.encode())
    digest.update(raw)
    for part in extra:
        digest.update(part)
    return digest.hexdigest()


def _read_press_release(
    path: Path, match: re.Match[str], content_dir: Path, collections: set[str], report: _FileReport
) -> PressReleaseFile | None:
    year, slug, lang = int(match["year"]), match["slug"], match["lang"]
    parsed = _read_content_file(path, slug, lang, PRESS_FIELDS, report)
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
    if not report.ok:
        return None
    return PressReleaseFile(
        year=year,
        slug=slug,
        lang=lang,
        title=values["title"],
        date=values["date"],
        summary=values["summary"],
        body_html=render_markdown(parsed.body),
        source_path=report.path,
        source_hash=_source_hash(parsed.raw, digests),
        tags=values.get("tags", ()),
        collections=values.get("collections", ()),
        attachments=attachments,
        translation_note=values.get("translation_note"),
        sample_translation=values.get("sample_translation", False),
    )


def _read_page(path: Path, match: re.Match[str], report: _FileReport) -> PageFile | None:
    slug, lang = match["slug"], match["lang"]
    parsed = _read_content_file(path, slug, lang, PAGE_FIELDS, report)
    if parsed is None or not report.ok:
        return None
    values = parsed.values
    return PageFile(
        slug=slug,
        lang=lang,
        title=values["title"],
        summary=values["summary"],
        body_html=render_markdown(parsed.body),
        source_path=report.path,
        source_hash=_source_hash(parsed.raw),
        updated=values.get("updated"),
    )


def _check_translations_agree(releases: list[PressReleaseFile], problems: list[ContentProblem]):
    first_by_release: dict[tuple[int, str], PressReleaseFile] = {}
    for release in sorted(releases, key=lambda r: r.source_path):
        first = first_by_release.setdefault((release.year, release.slug), release)
        if release.date != first.date:
            problems.append(
                ContentProblem(
                    release.source_path,
                    "date",
                    f"expected {first.date.isoformat()}, the date of {first.source_path}; "
                    "all language versions of a release share one date",
                )
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
        if relative == "README.md":
            continue
        report = _FileReport(relative, problems)
        if match := PRESS_FILE.match(relative):
            release = _read_press_release(path, match, content_dir, known_collections, report)
            if release:
                content.press_releases.append(release)
        elif match := PAGE_FILE.match(relative):
            page = _read_page(path, match, report)
            if page:
                content.pages.append(page)
        else:
            report.add(
                None,
                "is not where content goes: expected press/<yyyy>/<slug>.<lang>.md "
                "or pages/<slug>.<lang>.md",
            )
    _check_translations_agree(content.press_releases, problems)
    if problems:
        raise ContentError(problems)
    return content
