"""Turning a court's typical-case collection (.docx) into case files for an editor to review.

A collection document gives each case a title, then sections such as 基本案情 / 执行情况 /
典型意义 (or Basic facts / Enforcement / Typical significance). What the document does not
say in a form the portal can trust (court, cause of action, parties) is written as FILL-IN,
which `portal load` refuses until an editor has filled it in.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import docx
import frontmatter
import yaml
from docx.opc.exceptions import PackageNotFoundError

from portal.content.files import FILL_IN

SECTION_NAMES = {
    "zh": ("基本案情", "案情简介", "执行情况", "执行过程", "处理结果", "裁判结果", "典型意义"),
    "en": ("basic facts", "facts", "enforcement", "enforcement process", "result",
           "typical significance", "significance"),
}  # fmt: skip
# "案例一：", "一、", "(1)", "1.", "Case 1:" before a title or a section heading.
NUMBERING = re.compile(
    r"^\s*(?:(?:案例|case)\s*[一二三四五六七八九十百\d]+\s*[:：.、]?"
    r"|[（(]?[一二三四五六七八九十\d]+[)）、.．])\s*",
    re.IGNORECASE,
)
BRACKETS = "【】[]〔〕"
CASE_NUMBER = re.compile(r"[（(]\d{4}[)）][\w\s]*?执[\w\s]*?\d+号")


class DocxImportError(ValueError):
    """The document cannot be turned into cases; the message says why and where."""


@dataclass
class Section:
    heading: str
    paragraphs: list[str] = field(default_factory=list)


@dataclass
class ImportedCase:
    """A case as read from the document: its title, any lines before its first section, and
    its sections in order."""

    title: str
    intro: list[str] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)

    @property
    def text(self) -> str:
        """All of the case's text, to look for details such as its case number."""
        parts = [*self.intro, *(p for s in self.sections for p in [s.heading, *s.paragraphs])]
        return "\n".join(parts)


@dataclass
class ImportedCollection:
    """What a collection document holds: its title (if it has one) and its cases."""

    title: str | None
    cases: list[ImportedCase]


def _section_name(text: str, lang: str) -> str | None:
    bare = NUMBERING.sub("", text.strip().strip(BRACKETS)).strip().rstrip(":：").strip(BRACKETS)
    for name in SECTION_NAMES[lang]:
        if bare.casefold() == name.casefold():
            return bare
    return None


def _is_explicit_title(text: str, style: str) -> bool:
    return style.lower().startswith(("heading", "title")) or bool(NUMBERING.match(text))


def _clean_title(text: str) -> str:
    return NUMBERING.sub("", text).strip().rstrip(":：").strip() or text.strip()


def _paragraphs(path: Path) -> list[tuple[str, str]]:
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError) as error:
        raise DocxImportError(f"{path}: not a readable .docx file ({error})") from error
    return [
        (p.text.strip(), p.style.name if p.style is not None else "")
        for p in document.paragraphs
        if p.text.strip()
    ]


def read_collection_document(path: Path, lang: str) -> ImportedCollection:
    """Read the cases of a collection document; DocxImportError if it has none."""
    preamble: list[str] = []  # the document's own title and introduction
    cases: list[ImportedCase] = []
    current: ImportedCase | None = None
    for index, (text, style) in enumerate(_paragraphs(path), start=1):
        name = _section_name(text, lang)
        if name is None and _is_explicit_title(text, style):
            current = ImportedCase(title=_clean_title(text))
            cases.append(current)
        elif name is None and current is None:
            preamble.append(text)
        elif name is None and current is not None:
            (current.sections[-1].paragraphs if current.sections else current.intro).append(text)
        elif current is None or name in {section.heading for section in current.sections}:
            # A section heading that the current case already has (or that comes before any
            # case) starts the next case, titled by the paragraph just before it.
            before = current.sections[-1].paragraphs if current else preamble
            if not before:
                raise DocxImportError(
                    f"{path}: paragraph {index} ('{text}') starts a case that has no title"
                )
            current = ImportedCase(title=_clean_title(before.pop()))
            cases.append(current)
            current.sections.append(Section(heading=name))
        elif not current.sections and current.intro:
            # A heading, then plain lines, then the first section: the heading was the
            # document's title and the last plain line is the case's title.
            cases.remove(current)
            preamble.extend([current.title, *current.intro[:-1]])
            current = ImportedCase(title=_clean_title(current.intro[-1]))
            cases.append(current)
            current.sections.append(Section(heading=name))
        else:
            current.sections.append(Section(heading=name))
    with_sections = [case for case in cases if case.sections]
    if not with_sections:
        expected = " / ".join(SECTION_NAMES[lang][:3])
        raise DocxImportError(
            f"{path}: no recognisable case titles: expected each case to start with a title "
            f"followed by sections such as {expected}"
        )
    titles = [case.title for case in cases if not case.sections] + preamble
    return ImportedCollection(title=titles[0] if titles else None, cases=with_sections)


def _slugify(text: str) -> str:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return "-".join(words[:8])[:60].strip("-")


def _existing_stems(folder: Path) -> dict[int, str]:
    """File stems already used in the collection folder, by case number, so that a second
    language lines up with the first."""
    stems: dict[int, str] = {}
    for path in sorted(folder.glob("[0-9][0-9]-*.md")):
        stem = path.name.split(".", 1)[0]
        stems.setdefault(int(stem[:2]), stem)
    return stems


def _front_matter(fields: dict[str, object], note: str) -> str:
    body = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n# {note}\n{body}---\n"


def _case_body(case: ImportedCase) -> str:
    intro = "".join(f"\n{line}\n" for line in case.intro)
    sections = "".join(
        f"\n## {section.heading}\n\n" + "\n\n".join(section.paragraphs) + "\n"
        for section in case.sections
    )
    return intro + sections


def planned_files(
    collection: ImportedCollection,
    lang: str,
    folder: Path,
    source_name: str,
    defaults: dict[str, object],
) -> dict[Path, str]:
    """The case files (and, if missing, the collection file) to write, by path; `defaults`
    carries the collection's year and category where they are known."""
    note = (
        f"Written by `portal import-docx` from {source_name} on {dt.date.today().isoformat()}. "
        f"Review every field and replace each {FILL_IN}."
    )
    files: dict[Path, str] = {}
    collection_file = folder / f"collection.{lang}.md"
    if not collection_file.exists():
        collection_fields = {
            "title": collection.title or FILL_IN,
            "summary": FILL_IN,
            "year": defaults.get("year", FILL_IN),
            "category": defaults.get("category", FILL_IN),
            "total_cases": len(collection.cases),
            "document": source_name,
        }
        files[collection_file] = _front_matter(collection_fields, note)
    stems = _existing_stems(folder)
    for number, case in enumerate(collection.cases, start=1):
        stem = stems.get(number) or f"{number:02d}-{_slugify(case.title) or 'case'}"
        fields: dict[str, object] = {
            "title": case.title,
            "parties": FILL_IN,
            "number": number,
            "court": FILL_IN,
            "cause": FILL_IN,
            "category": defaults.get("category", FILL_IN),
            "year": defaults.get("year", FILL_IN),
        }
        if found := CASE_NUMBER.search(case.text):
            fields["case_number"] = found.group(0)
        files[folder / f"{stem}.{lang}.md"] = _front_matter(fields, note) + _case_body(case)
    return files


def write_files(files: dict[Path, str], force: bool) -> list[Path]:
    """Write every file, or none: without `force`, refuse if any of them exists already."""
    existing = sorted(path for path in files if path.exists())
    if existing and not force:
        names = ", ".join(str(path) for path in existing)
        raise FileExistsError(f"would overwrite {names}; use --force to replace them")
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return sorted(files)


def collection_defaults(folder: Path) -> dict[str, object]:
    """The year and category of the collection, if another language's file already says them."""
    for path in sorted(folder.glob("collection.*.md")):
        try:
            metadata = frontmatter.loads(path.read_text(encoding="utf-8")).metadata
        except (yaml.YAMLError, UnicodeDecodeError, ValueError):
            continue
        found = {
            name: metadata[name]
            for name in ("year", "category")
            if name in metadata and metadata[name] != FILL_IN
        }
        if found:
            return found
    return {}
