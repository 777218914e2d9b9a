"""`portal import-docx`: a court's collection document becomes case files an editor completes."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from portal.cli import cli
from portal.content.docx_import import DocxImportError, read_collection_document
from tests.support.site import SiteBuilder

CHINESE_COLLECTION = [
    ("Title", "2020年上海法院打击“执行难”典型案例"),
    (None, "为充分发挥典型案例的示范作用，现发布以下案例。"),
    ("Heading 2", "案例一：张某诉上海某公司股东知情权纠纷案"),
    (None, "【基本案情】"),
    (None, "张某与上海某公司股东知情权纠纷一案，（2020）沪0112执1234号。"),
    (None, "【执行情况】"),
    (None, "执行法院依法对该公司处以罚款。"),
    (None, "【典型意义】"),
    (None, "本案明确了股东知情权案件的执行方式。"),
    ("Heading 2", "案例二：李某诉绍兴某小额贷款有限公司民间借贷纠纷案"),
    (None, "基本案情"),
    (None, "第一段事实。"),
    (None, "典型意义"),
    (None, "第二段意义。"),
]
ENGLISH_COLLECTION = [  # no heading styles: titles are inferred from the section structure
    (None, "Ten Typical Cases (2020)"),
    (None, "Zhang v. a company in Shanghai"),
    (None, "Basic facts:"),
    (None, "Facts of the first case."),
    (None, "Typical significance:"),
    (None, "Why it matters."),
    (None, "Li v. Shaoxing Xinrong Petty Loan Co., Ltd"),
    (None, "Basic facts:"),
    (None, "Facts of the second case."),
    (None, "Enforcement:"),
    (None, "What the court did."),
]


def make_docx(path: Path, paragraphs: list[tuple[str | None, str]]) -> Path:
    document = docx.Document()
    for style, text in paragraphs:
        document.add_paragraph(text, style=style) if style else document.add_paragraph(text)
    document.save(str(path))
    return path


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, site: SiteBuilder, tmp_path: Path):
    monkeypatch.setenv("PORTAL_DATABASE_URL", f"sqlite:///{tmp_path / 'portal.sqlite3'}")
    monkeypatch.setenv("PORTAL_CONTENT_DIR", str(site.content))
    monkeypatch.setenv("PORTAL_CASES_DIR", str(site.cases))
    monkeypatch.setenv("PORTAL_INDEX_DIR", str(site.root / "search_index"))

    def invoke(*args: str):
        return CliRunner().invoke(cli, list(args), catch_exceptions=False)

    invoke("db", "upgrade")
    return invoke


def test_a_chinese_collection_is_read_case_by_case(tmp_path: Path) -> None:
    collection = read_collection_document(make_docx(tmp_path / "c.docx", CHINESE_COLLECTION), "zh")
    assert collection.title == "2020年上海法院打击“执行难”典型案例"
    assert [case.title for case in collection.cases] == [
        "张某诉上海某公司股东知情权纠纷案",
        "李某诉绍兴某小额贷款有限公司民间借贷纠纷案",
    ]
    first = collection.cases[0]
    assert [s.heading for s in first.sections] == ["基本案情", "执行情况", "典型意义"]
    assert first.sections[1].paragraphs == ["执行法院依法对该公司处以罚款。"]


def test_an_english_collection_without_heading_styles_is_read(tmp_path: Path) -> None:
    collection = read_collection_document(make_docx(tmp_path / "c.docx", ENGLISH_COLLECTION), "en")
    assert collection.title == "Ten Typical Cases (2020)"
    assert [case.title for case in collection.cases] == [
        "Zhang v. a company in Shanghai",
        "Li v. Shaoxing Xinrong Petty Loan Co., Ltd",
    ]
    assert [s.heading for s in collection.cases[1].sections] == ["Basic facts", "Enforcement"]
    assert collection.cases[0].sections[0].paragraphs == ["Facts of the first case."]


def test_a_document_with_no_recognisable_case_titles_is_refused(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "memo.docx", [(None, "A memo."), (None, "With two paragraphs.")])
    with pytest.raises(DocxImportError, match="no recognisable case titles: expected each case"):
        read_collection_document(path, "en")


def test_a_file_that_is_not_a_docx_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "cases.docx"
    path.write_text("not a zip file")
    with pytest.raises(DocxImportError, match=r"not a readable \.docx file"):
        read_collection_document(path, "en")


def test_imported_files_load_once_an_editor_fills_the_marked_fields(
    run, site: SiteBuilder, tmp_path: Path
) -> None:
    site.vocabulary()
    document = make_docx(tmp_path / "2020-cases.docx", ENGLISH_COLLECTION)
    result = run("import-docx", str(document), "--collection", "2020-cases", "--lang", "en")
    assert result.exit_code == 0, result.output
    folder = site.cases / "2020-cases"
    assert sorted(p.name for p in folder.iterdir()) == [
        "01-zhang-v-a-company-in-shanghai.en.md",
        "02-li-v-shaoxing-xinrong-petty-loan-co-ltd.en.md",
        "collection.en.md",
    ]
    held = run("load")  # held back as drafts, with a warning each: the rest loads
    assert held.exit_code == 0, held.output
    assert "Held back as drafts" in held.output
    assert (
        "cases/2020-cases/01-zhang-v-a-company-in-shanghai.en.md: field 'court': is marked "
        "FILL-IN by portal import-docx: an editor must fill it in; held back as a draft"
        in held.output
    )
    assert "cases: 0 added" in held.output
    # The editor fills in what the document could not say.
    fills = {
        "collection.en.md": [("summary: FILL-IN", "summary: Two cases."),
                             ("year: FILL-IN", "year: 2020"),
                             ("category: FILL-IN", "category: difficult-enforcement")],
        "01-zhang-v-a-company-in-shanghai.en.md": [("court: FILL-IN", "court: minhang-district")],
        "02-li-v-shaoxing-xinrong-petty-loan-co-ltd.en.md": [
            ("court: FILL-IN", "court: shanghai-no1-intermediate")],
    }  # fmt: skip
    for path in folder.iterdir():
        text = path.read_text(encoding="utf-8")
        for old, new in fills.get(path.name, []):
            text = text.replace(old, new)
        text = text.replace("parties: FILL-IN", "parties: A v. B")
        text = text.replace("cause: FILL-IN", "cause: private-lending")
        text = text.replace("category: FILL-IN", "category: difficult-enforcement")
        text = text.replace("year: FILL-IN", "year: 2020")
        path.write_text(text, encoding="utf-8")
    loaded = run("load")
    assert loaded.exit_code == 0, loaded.output
    assert "cases: 2 added" in loaded.output


def test_a_second_language_lines_up_with_the_first(run, site: SiteBuilder, tmp_path: Path) -> None:
    site.collection("2020-cases", "en", year=2020, category="difficult-enforcement")
    site.case("2020-cases", "01-zhang", "en")
    site.case("2020-cases", "02-li", "en")
    document = make_docx(tmp_path / "zh.docx", CHINESE_COLLECTION)
    assert (
        run("import-docx", str(document), "--collection", "2020-cases", "--lang", "zh").exit_code
        == 0
    )
    zhang = (site.cases / "2020-cases" / "01-zhang.zh.md").read_text(encoding="utf-8")
    assert "title: 张某诉上海某公司股东知情权纠纷案" in zhang
    assert "year: 2020" in zhang
    assert "category: difficult-enforcement" in zhang
    assert "case_number: （2020）沪0112执1234号" in zhang
    assert "## 执行情况\n\n执行法院依法对该公司处以罚款。" in zhang
    assert (site.cases / "2020-cases" / "02-li.zh.md").exists()


def test_existing_files_are_never_overwritten_without_force(
    run, site: SiteBuilder, tmp_path: Path
) -> None:
    site.collection("2020-cases")
    edited = site.case("2020-cases", "01-zhang", body="An editor's careful work.")
    document = make_docx(tmp_path / "en.docx", ENGLISH_COLLECTION)
    arguments = ("import-docx", str(document), "--collection", "2020-cases", "--lang", "en")
    refused = run(*arguments)
    assert refused.exit_code == 1
    assert "Nothing was written: would overwrite" in refused.output
    assert "01-zhang.en.md" in refused.output
    assert "An editor's careful work." in edited.read_text(encoding="utf-8")
    assert not (
        site.cases / "2020-cases" / "02-li-v-shaoxing-xinrong-petty-loan-co-ltd.en.md"
    ).exists()
    assert run(*arguments, "--force").exit_code == 0
    assert "An editor's careful work." not in edited.read_text(encoding="utf-8")


def test_a_collection_key_that_is_a_facet_name_is_refused(run, tmp_path: Path) -> None:
    document = make_docx(tmp_path / "en.docx", ENGLISH_COLLECTION)
    result = CliRunner().invoke(
        cli, ["import-docx", str(document), "--collection", "court", "--lang", "en"]
    )
    assert result.exit_code == 2
    assert "not a facet name" in result.output
