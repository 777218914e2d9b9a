"""Markdown files with YAML front matter: parsing them safely and validating their fields.

Every problem names the file, the field and what was expected; the readers of press releases,
pages and typical cases collect all problems of a load and report them together.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from portal.content.markup import RENDERER_VERSION, render_markdown
from portal.text.languages import LANGUAGE_CODES

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Written by `portal import-docx` where it cannot infer a value; a load refuses it anywhere.
FILL_IN = "FILL-IN"


@dataclass(frozen=True)
class ContentProblem:
    """One thing wrong with one content file; `path` is relative to `folder` (content, cases)."""

    path: str
    field: str | None
    message: str
    folder: str = ""

    def __str__(self) -> str:
        path = f"{self.folder}/{self.path}" if self.folder else self.path
        where = f"{path}: field '{self.field}'" if self.field else path
        return f"{where}: {self.message}"


def in_folder(problems: Iterable[ContentProblem], folder: Path) -> list[ContentProblem]:
    """The problems of files under `folder`, named with it (the cases folder is not content)."""
    return [
        problem if problem.folder else dataclasses.replace(problem, folder=folder.name)
        for problem in problems
    ]


class ContentError(Exception):
    """The content folder has problems; nothing was loaded."""

    def __init__(self, problems: list[ContentProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class Invalid(ValueError):
    """A front-matter value that does not fit its field."""


def text_value(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise Invalid(f"expected non-empty text, got {describe(value)}")
    return value.strip()


@dataclass(frozen=True)
class ImpossibleDate:
    """A date-shaped value that is no real date (2021-02-30), kept so that its field says so
    and the file's other fields are still checked."""

    text: str
    reason: str


def date_value(value: Any) -> dt.date:
    if isinstance(value, ImpossibleDate):
        raise Invalid(f"is an impossible date: {value.text} ({value.reason})")
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise Invalid(f"expected a date written as YYYY-MM-DD, got {describe(value)}")
    return value


def flag_value(value: Any) -> bool:
    if not isinstance(value, bool):
        raise Invalid(f"expected true or false, got {describe(value)}")
    return value


def keys_value(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise Invalid(f"expected a list of keys like [a-key, another-key], got {describe(value)}")
    for item in value:
        if not isinstance(item, str) or not SLUG_PATTERN.match(item):
            raise Invalid(
                f"expected keys of lowercase letters, digits and hyphens, got {describe(item)}"
            )
    if len(set(value)) != len(value):
        raise Invalid("lists the same key twice")
    return tuple(value)


# The years content can be about: from 1949 on, and a bound far enough ahead to catch a typo.
FIRST_YEAR, LAST_YEAR = 1949, 2100


def year_value(value: Any) -> int:
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not FIRST_YEAR <= value <= LAST_YEAR
    ):
        raise Invalid(f"expected a year such as 2020, got {describe(value)}")
    return value


def int_value(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise Invalid(f"expected a whole number from 1 up, got {describe(value)}")
    return value


def describe(value: Any) -> str:
    if isinstance(value, ImpossibleDate):
        return f"the impossible date {value.text}"
    if value is None:
        return "nothing"
    if isinstance(value, str):
        return repr(value) if value.strip() else "empty text"
    return f"{type(value).__name__} {value!r}"


Validator = Callable[[Any], Any]
Schema = dict[str, tuple[Validator, bool]]

# The fields of publication: `draft: true` keeps a file's item out of everything public, and
# `publish_on` keeps it out until that day at the courts (a press release's is its `date`).
DRAFT_FIELD: Schema = {"draft": (flag_value, False)}
PUBLICATION_FIELDS: Schema = {**DRAFT_FIELD, "publish_on": (date_value, False)}


FILL_IN_MESSAGE = "is marked FILL-IN by portal import-docx: an editor must fill it in"


class FileReport:
    """Collects the problems of one file.

    A FILL-IN is a problem, unless the report is given a `held_back` list: then the file is
    held back like a draft, with a warning there, and the rest of the load goes on.
    """

    def __init__(
        self,
        relative_path: str,
        problems: list[ContentProblem],
        held_back: list[ContentProblem] | None = None,
    ) -> None:
        self.path = relative_path
        self.problems = problems
        self.held_back = held_back
        self.ok = True
        self.incomplete = False

    def add(self, field_name: str | None, message: str) -> None:
        self.ok = False
        self.problems.append(ContentProblem(self.path, field_name, message))

    def fill_in(self, field_name: str) -> None:
        """A field still marked FILL-IN."""
        if self.held_back is None:
            self.add(field_name, FILL_IN_MESSAGE)
            return
        self.incomplete = True
        self.held_back.append(
            ContentProblem(self.path, field_name, f"{FILL_IN_MESSAGE}; held back as a draft")
        )

    @property
    def complete(self) -> bool:
        """Whether the file is valid and has nothing left to fill in: it can be loaded."""
        return self.ok and not self.incomplete


# A front-matter fence: a line of three or more hyphens (as python-frontmatter reads it).
FENCE = re.compile(r"^-{3,}\s*$", re.MULTILINE)


class _FrontMatterLoader(yaml.SafeLoader):
    """YAML's safe loader (no tag can build an object), reading an impossible date as an
    ImpossibleDate rather than failing the whole file."""


def _timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError as error:
        return ImpossibleDate(str(node.value), str(error))


_FrontMatterLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


def _parse_front_matter(raw: bytes, report: FileReport) -> tuple[Any, str] | None:
    """Read a file's YAML front matter, between its two fences, and its Markdown body."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        report.add(None, f"is not UTF-8 text (byte {error.start}); save it as UTF-8")
        return None
    text = text.lstrip("\ufeff").strip()
    if not text.startswith("---"):
        report.add(None, "has no front matter: expected the file to start with a '---' line")
        return None
    parts = FENCE.split(text, 2)
    if len(parts) < 3 or parts[0].strip():
        report.add(
            None,
            "front matter is not fenced: expected a '---' line alone before its first field "
            "and another after its last",
        )
        return None
    _, front, body = parts
    try:
        metadata = yaml.load(front, Loader=_FrontMatterLoader)  # noqa: S506 - a safe loader
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
    return ({} if metadata is None else metadata), body.strip()


def validate_fields(
    data: Any, schema: Schema, report: FileReport, where: str = ""
) -> dict[str, Any] | None:
    """Validate one mapping against `schema`, each problem named `<where>.<field>`; return the
    values that are valid, or None if `data` is not a mapping."""
    prefix = f"{where}." if where else ""
    if not isinstance(data, dict):
        report.add(where or None, f"expected a mapping with the keys {', '.join(schema)}")
        return None
    values: dict[str, Any] = {}
    for name in sorted(set(data) - set(schema), key=str):
        report.add(f"{prefix}{name}", f"is not a known field; allowed: {', '.join(schema)}")
    for name, (validator, required) in schema.items():
        if name not in data:
            if required:
                report.add(f"{prefix}{name}", "is required")
            continue
        if data[name] == FILL_IN:
            report.fill_in(f"{prefix}{name}")
            continue
        try:
            values[name] = validator(data[name])
        except Invalid as error:
            report.add(f"{prefix}{name}", str(error))
    return values


@dataclass(frozen=True)
class ParsedFile:
    values: dict[str, Any]
    body: str
    raw: bytes


def read_content_file(
    path: Path,
    slug: str,
    lang: str,
    schema: Schema,
    report: FileReport,
) -> ParsedFile | None:
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
    return ParsedFile(validate_fields(metadata, schema, report) or {}, body, raw)


def source_hash(raw: bytes, extra: Iterable[bytes] = ()) -> str:
    digest = hashlib.sha256(RENDERER_VERSION.encode())
    digest.update(raw)
    for part in extra:
        digest.update(part)
    return digest.hexdigest()


def rendered_fields(
    parsed: ParsedFile,
    report: FileReport,
    *,
    paragraph_ids: bool = False,
    extra_hash: Iterable[bytes] = (),
) -> dict[str, Any]:
    """What every Markdown content item is made with besides its own fields: its rendered body,
    where it came from, its content hash and whether it is a draft."""
    return {
        "body_html": render_markdown(parsed.body, paragraph_ids=paragraph_ids),
        "source_path": report.path,
        "source_hash": source_hash(parsed.raw, extra_hash),
        "draft": parsed.values.get("draft", False),
    }
