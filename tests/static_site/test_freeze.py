"""Freezing: every page kind in both languages, each page's interface in its own language however
many processes render, nothing broken, nothing stale, only changed files rewritten, and a copy
that works from a sub-path."""

from __future__ import annotations

import datetime as dt
import errno
import os
import re
import time
from collections.abc import Iterable
from pathlib import Path

import frictionless
import pytest
from flask import Flask

from portal.db.court_day import court_today
from portal.db.load import load_content
from portal.debtors.importer import delist, import_debtors
from portal.registers.identity import IdentityKeys
from portal.static_site.freeze import FreezeError, freeze
from portal.static_site.links import check_links
from portal.web.db import session_factory
from tests.support.debtorfiles import find_in_files, person, resident_id, write_csv
from tests.support.freezing import catalogue_byte_sizes, freeze_through_the_cli, output_files
from tests.support.site import UNPUBLISHED_MARKERS, SiteBuilder

EXPECTED_FILES = [
    "index.html", "404.html", "robots.txt", "sitemap.xml", "data/catalog.jsonld",
    "data/datapackage.json", "en/search/opensearch.xml", "zh/search/opensearch.xml",
    "static/css/portal.css", "static/js/static-search.js", "en/feeds/feed.xsl", "zh/feeds/feed.xsl",
    "files/press/2021/attachments/cases.pdf",
    "pagefind/pagefind.js",
]  # fmt: skip
EXPECTED_PAGES = [
    "", "press/", "press/2021/", "press/2021/annual-report/", "cases/",
    "cases/court/minhang-district/", "cases/measure/fine/", "cases/year/2020/",
    "cases/collections/", "cases/2020-difficult/", "cases/2020-difficult/01-zhang/", "search/",
    "debtors/", "data/", "data/api/", "statistics/", "about/", "licence/", "victims/",
    "victims/demo-case/", "victims/status/", "feeds/",
]  # fmt: skip


@pytest.fixture
def frozen_app(make_app, site: SiteBuilder, sqlite_url: str) -> Flask:
    site.standard().standard_cases().statistics()
    for lang in ("en", "zh"):
        site.victim_notice(lang=lang)
    (site.content / "press/2021/attachments").mkdir(parents=True, exist_ok=True)
    (site.content / "press/2021/attachments/cases.pdf").write_bytes(b"%PDF-1.7 test")
    site.release(2021, "annual-report", "en", date="2021-01-15",
                 collections=["2020-difficult", "2021-discipline"],
                 attachments=[{"file": "attachments/cases.pdf", "title": "Cases"}])  # fmt: skip
    site.release(2021, "annual-report", "zh", date="2021-01-15", title="年度报告",
                 collections=["2020-difficult", "2021-discipline"])  # fmt: skip
    return make_app(sqlite_url)


def reload(app: Flask, site: SiteBuilder) -> None:
    load_content(session_factory(app), site.content, site.cases)


def test_every_page_kind_in_both_languages(frozen_app: Flask, tmp_path: Path) -> None:
    out = tmp_path / "out"
    report = freeze(frozen_app, out)
    missing = [name for name in EXPECTED_FILES if not (out / name).is_file()]
    missing += [
        f"{lang}/{page}index.html"
        for lang in ("en", "zh")
        for page in EXPECTED_PAGES
        if not (out / lang / page / "index.html").is_file()
    ]
    missing += [
        name
        for name in ("feeds/en/press.atom", "feeds/zh/cases.atom", "feeds/zh/victims.atom",
                     "data/cases.csv",
                     "en/cases/court/minhang-district/feed.atom", "data/press-releases.json")
        if not (out / name).is_file()
    ]  # fmt: skip
    assert missing == []
    assert report.written == report.urls
    assert "页面不存在" not in (out / "404.html").read_text(encoding="utf-8")
    assert "Page not found" in (out / "404.html").read_text(encoding="utf-8")


def test_the_frozen_data_package_validates_beside_its_files(frozen_app: Flask, tmp_path) -> None:
    out = tmp_path / "out"
    freeze(frozen_app, out, pagefind=False)
    report = frictionless.validate(str(out / "data" / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert len(report.tasks) == 4  # every CSV download of the catalogue


def test_the_static_search_page_uses_the_in_browser_index(frozen_app: Flask, tmp_path) -> None:
    out = tmp_path / "out"
    freeze(frozen_app, out)
    page = (out / "zh/search/index.html").read_text(encoding="utf-8")
    assert 'data-pagefind="/pagefind/pagefind.js"' in page
    assert "static-search.js" in page
    assert "feed.atom" not in page  # a static copy cannot answer a search's feed
    case = (out / "en/cases/2020-difficult/01-zhang/index.html").read_text(encoding="utf-8")
    assert 'data-pagefind-filter="court:Minhang District Court"' in case
    assert "/api/v1/openapi.json" not in (out / "en/data/index.html").read_text(encoding="utf-8")


def test_nothing_in_the_output_links_to_a_missing_file(frozen_app: Flask, tmp_path) -> None:
    out = tmp_path / "out"
    freeze(frozen_app, out)
    files = [p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()]
    check_links(out, files, "", frozen_app.config["SITE_URL"])  # raises on any broken link


@pytest.mark.parametrize("processes", [1, 2])
def test_a_broken_link_fails_the_freeze_naming_page_and_link(
    frozen_app: Flask, site: SiteBuilder, tmp_path: Path, processes: int
) -> None:
    # The render processes check the links of their own pages: each broken link is named,
    # whichever process rendered its page.
    site.page("about", "en", body="See [the archive](/en/archive/).")
    site.page("about", "zh", body="见[档案](/zh/archive/)。")
    reload(frozen_app, site)
    with pytest.raises(FreezeError) as failure:
        freeze(frozen_app, tmp_path / "out", pagefind=False, processes=processes)
    assert str(failure.value).startswith("2 link(s) to files not in the output:")
    assert "en/about/index.html -> /en/archive/" in str(failure.value)
    assert "zh/about/index.html -> /zh/archive/" in str(failure.value)


@pytest.mark.parametrize("processes", [1, 2])
def test_a_page_that_answers_an_error_fails_the_freeze_naming_it(
    frozen_app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, processes: int
) -> None:
    import portal.static_site.freeze

    original = portal.static_site.freeze.freeze_urls
    monkeypatch.setattr(
        portal.static_site.freeze,
        "freeze_urls",
        lambda app, s: [*original(app, s), "/en/press/1999/gone/"],
    )
    with pytest.raises(FreezeError, match=r"/en/press/1999/gone/ could not be frozen: .*404"):
        freeze(frozen_app, tmp_path / "out", pagefind=False, processes=processes)


def test_the_output_is_the_same_however_many_processes_render_it(
    make_app, site: SiteBuilder, sqlite_url: str, tmp_path: Path
) -> None:
    site.standard().standard_cases()
    outputs = {}
    app = make_app(sqlite_url)
    for processes in (1, 2):
        out = tmp_path / f"out-{processes}"
        report = freeze(app, out, pagefind=False, processes=processes)
        assert report.processes == processes
        assert report.written == report.urls > 50  # enough pages to share between processes
        outputs[processes] = {
            p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()
        }
    assert outputs[1].keys() == outputs[2].keys()
    differing = [name for name in outputs[1] if outputs[1][name] != outputs[2][name]]
    assert differing == []


def test_stale_files_are_removed(frozen_app: Flask, site: SiteBuilder, tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "en/old-page").mkdir(parents=True)
    (out / "en/old-page/index.html").write_text("<p>old</p>")
    (out / "pagefind").mkdir()
    (out / "pagefind/pagefind.js").write_text("// the last index")
    freeze(frozen_app, out, pagefind=False)
    assert not (out / "en/old-page").exists()
    assert (out / "pagefind/pagefind.js").is_file()  # Pagefind's own, rewritten by Pagefind
    (site.content / "press/2020/older-news.en.md").unlink()
    reload(frozen_app, site)
    report = freeze(frozen_app, out, pagefind=False)
    assert not (out / "en/press/2020/older-news").exists()
    assert report.removed >= 1
    assert "older-news" not in (out / "sitemap.xml").read_text(encoding="utf-8")


def test_a_second_freeze_rewrites_only_the_files_that_changed(
    frozen_app: Flask, site: SiteBuilder, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    freeze(frozen_app, out, pagefind=False)
    # The debtor shards are encrypted anew (fresh nonces) by every freeze: the pages' files.
    files = [p for p in out.rglob("*") if p.is_file() and "static-lookup" not in p.parts]
    before = {path: path.stat().st_mtime_ns for path in files}
    unchanged = freeze(frozen_app, out, pagefind=False)
    assert (unchanged.written, unchanged.removed) == (0, 0)
    assert [path for path in files if path.stat().st_mtime_ns != before[path]] == []
    site.case(
        "2020-difficult", "01-zhang", "en", title="Zhang, retitled", measures=["fine", "detention"]
    )
    reload(frozen_app, site)
    second = freeze(frozen_app, out, pagefind=False)
    rewritten = {path.relative_to(out).as_posix() for path in files
                 if path.stat().st_mtime_ns != before[path]}  # fmt: skip
    zhang = "en/cases/2020-difficult/01-zhang/index.html"
    assert "Zhang, retitled" in (out / zhang).read_text(encoding="utf-8")
    # The case, its neighbour that names it, the listings and downloads that show it.
    assert {zhang, "en/cases/2020-difficult/02-li/index.html", "data/cases.csv"} <= rewritten
    assert "en/cases/2021-discipline/01-wang/index.html" not in rewritten
    assert "en/about/index.html" not in rewritten
    assert "zh/cases/2020-difficult/01-zhang/index.html" not in rewritten
    assert second.written == len(rewritten) < len(files) / 3


def test_a_new_release_appears_in_the_listings(
    frozen_app: Flask, site: SiteBuilder, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    freeze(frozen_app, out, pagefind=False)
    site.release(2022, "new-report", "en", date="2022-02-01", title="A new report")
    reload(frozen_app, site)
    freeze(frozen_app, out, pagefind=False)
    assert "A new report" in (out / "en/index.html").read_text(encoding="utf-8")
    assert "A new report" in (out / "en/press/index.html").read_text(encoding="utf-8")
    assert (out / "en/press/2022/new-report/index.html").is_file()


def test_the_copy_works_from_a_sub_path(make_app, site: SiteBuilder, sqlite_url: str, tmp_path):
    site.standard().standard_cases()
    app = make_app(sqlite_url, SITE_URL="https://court.example/portal")
    out = tmp_path / "out"
    freeze(app, out, pagefind=False)
    home = (out / "en/index.html").read_text(encoding="utf-8")
    assert 'href="/portal/en/press/"' in home
    assert 'href="/portal/static/css/portal.css"' in home
    assert '<link rel="canonical" href="https://court.example/portal/en/">' in home
    assert not re.search(r'(?:href|src)="/(?!portal/)', home)
    assert "https://court.example/portal/en/cases/" in (out / "sitemap.xml").read_text("utf-8")
    feed = (out / "feeds/en/press.atom").read_text("utf-8")
    assert '<?xml-stylesheet type="text/xsl" href="/portal/en/feeds/feed.xsl"?>' in feed
    xslt = (out / "en/feeds/feed.xsl").read_text("utf-8")
    assert 'href="/portal/static/css/portal.css"' in xslt
    assert 'href="/portal/en/feeds/"' in xslt


def test_an_empty_database_is_loaded_before_freezing(
    make_app, site: SiteBuilder, sqlite_url: str, tmp_path: Path
) -> None:
    site.standard()
    app = make_app(sqlite_url, load=False)
    freeze(app, tmp_path / "out", pagefind=False)
    assert (tmp_path / "out/en/press/2021/annual-report/index.html").is_file()


def test_freeze_py_and_portal_freeze_are_one_command(tmp_path: Path) -> None:
    import freeze as freeze_script

    assert freeze_script.cli.commands["freeze"].callback.__name__ == "freeze_command"


@pytest.fixture
def app_with_debtors(frozen_app: Flask, tmp_path: Path) -> Flask:
    frozen_app.config.update(STATIC_LOOKUP_SALT="test court", STATIC_LOOKUP_ITERATIONS=1000)
    rows = [person("R1"), person("R2", name="王芳", id_number=resident_id(sequence="456"))]
    import_debtors(
        session_factory(frozen_app), write_csv(tmp_path / "list.csv", rows),
        IdentityKeys.from_secret(frozen_app.config["SECRET_KEY"]),
        now=dt.datetime(2025, 6, 1, tzinfo=dt.UTC),
    )  # fmt: skip
    return frozen_app


def test_the_static_copy_checks_debtors_without_publishing_the_list(
    app_with_debtors: Flask, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    freeze(app_with_debtors, out, pagefind=False)
    assert find_in_files(out, "张伟", resident_id())[0]["name"] == "张伟"
    assert find_in_files(out, "張偉", resident_id()) != []  # traditional characters fold
    page = (out / "zh/debtors/index.html").read_text(encoding="utf-8")
    assert "static-lookup.js" in page
    for path in out.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for secret in (resident_id().encode(), "张伟".encode(), "王芳".encode()):
                assert secret not in data, path


def test_a_delisted_debtor_is_gone_from_every_file_after_a_re_freeze(
    app_with_debtors: Flask, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    freeze(app_with_debtors, out, pagefind=False)
    number = resident_id(sequence="456")
    assert find_in_files(out, "王芳", number) != []
    delist(session_factory(app_with_debtors), "R2", "performed", today=dt.date(2025, 6, 2))
    freeze(app_with_debtors, out, pagefind=False)
    assert find_in_files(out, "王芳", number) == []
    assert find_in_files(out, "张伟", resident_id()) != []


def test_a_file_that_cannot_be_written_fails_the_freeze_naming_it(
    frozen_app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    write_bytes = Path.write_bytes

    def full_disk(path: Path, data: bytes) -> int:
        if path.name == "index.html" and path.parent.name == "about":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return write_bytes(path, data)

    monkeypatch.setattr(Path, "write_bytes", full_disk)
    target = out.resolve() / "en/about/index.html"
    with pytest.raises(FreezeError, match=rf"{target} could not be written: No space left"):
        freeze(frozen_app, out, pagefind=False, processes=1)


def test_portal_freeze_exits_non_zero_naming_the_failing_page(
    frozen_app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import portal.static_site.freeze

    original = portal.static_site.freeze.freeze_urls
    monkeypatch.setattr(
        portal.static_site.freeze,
        "freeze_urls",
        lambda app, s: [*original(app, s), "/en/press/1999/gone/"],
    )
    result = freeze_through_the_cli(frozen_app, tmp_path / "out")
    assert result.exit_code == 1
    assert "The freeze failed: /en/press/1999/gone/ could not be frozen" in result.output


def test_a_shard_that_cannot_be_written_fails_the_freeze_naming_it(
    frozen_app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_text = Path.write_text

    def full_disk(path: Path, *args, **kwargs) -> int:
        if path.name == "manifest.json":  # the open succeeds, the write finds the disk full
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return write_text(path, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", full_disk)
    out = tmp_path / "out"
    result = freeze_through_the_cli(frozen_app, out, "--no-pagefind")
    assert result.exit_code == 1
    target = out / "static-lookup/manifest.json"
    assert f"The freeze failed: {target} could not be written: No space left" in result.output
    assert "Traceback" not in result.output


def test_pagefind_leaving_empty_files_fails_the_freeze_naming_one(
    frozen_app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a full disk Pagefind exits 0 and leaves empty files: the freeze does not."""
    import portal.static_site.pagefind

    run = portal.static_site.pagefind.subprocess.run

    def pagefind_on_a_full_disk(*args, **kwargs):
        result = run(*args, **kwargs)
        (tmp_path / "out/pagefind/pagefind.js").write_bytes(b"")
        return result

    monkeypatch.setattr(portal.static_site.pagefind.subprocess, "run", pagefind_on_a_full_disk)
    result = freeze_through_the_cli(frozen_app, tmp_path / "out")
    assert result.exit_code == 1
    target = tmp_path / "out/pagefind/pagefind.js"
    assert f"The freeze failed: {target} could not be written: Pagefind left it empty" in (
        result.output
    )


def test_the_frozen_copy_has_no_draft_and_no_scheduled_item_even_from_a_preview(
    make_app, site: SiteBuilder, sqlite_url: str, tmp_path: Path
) -> None:
    later = court_today() + dt.timedelta(days=40)
    site.unpublished(later)
    out = tmp_path / "out"
    freeze(make_app(sqlite_url, PREVIEW=True), out, pagefind=False)
    files = [path for path in out.rglob("*") if path.is_file()]
    assert (out / "en" / "press" / "2021" / "annual-report" / "index.html").is_file()
    shown = [
        path.relative_to(out).as_posix()
        for path in files
        if any(marker.encode() in path.read_bytes() for marker in UNPUBLISHED_MARKERS)
        or any(marker in path.as_posix() for marker in UNPUBLISHED_MARKERS)
    ]
    assert shown == []


def written_sizes(out: Path, names: Iterable[str]) -> dict[str, dict[str, str]]:
    """The `dcat:byteSize` each download in data/ should have: its file's size."""
    return {
        name: {
            "@value": str((out / "data" / name).stat().st_size),
            "@type": "xsd:nonNegativeInteger",
        }
        for name in names
    }


def test_the_frozen_catalogue_gives_each_download_s_size_in_bytes(frozen_app, tmp_path) -> None:
    out = tmp_path / "out"
    freeze(frozen_app, out, pagefind=False)
    sizes = catalogue_byte_sizes(out)
    assert len(sizes) == 8  # CSV and JSON of each of the four datasets
    assert sizes == written_sizes(out, sizes)


def test_a_second_freeze_is_a_full_freeze_s_copy_with_the_new_downloads_sizes(
    make_app, site: SiteBuilder, sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import portal.opendata.datasets

    site.standard().standard_cases()
    app = make_app(sqlite_url, SITE_URL="https://court.example/portal")
    out = tmp_path / "out"
    freeze(app, out, pagefind=False, processes=2)
    before = catalogue_byte_sizes(out)
    site.case(
        "2020-difficult", "01-zhang", "en", title="Zhang, retitled", measures=["fine", "detention"]
    )
    reload(app, site)
    # The cases' downloads take a while to make, as on a large site: the other process renders
    # every other page meanwhile, and the catalogue must still give the sizes of the new files.
    records = portal.opendata.datasets.dataset_records

    def slow_records(session, key, *args):
        if key == "cases":
            time.sleep(2)
        return records(session, key, *args)

    monkeypatch.setattr(portal.opendata.datasets, "dataset_records", slow_records)
    freeze(app, out, pagefind=False, processes=2)
    sizes = catalogue_byte_sizes(out)
    assert sizes == written_sizes(out, sizes)
    assert sizes["cases.csv"] != before["cases.csv"]
    monkeypatch.undo()
    full = tmp_path / "full"
    freeze(app, full, pagefind=False, processes=2)
    second, first = output_files(out), output_files(full)
    assert second.keys() == first.keys()
    assert [name for name in first if first[name] != second[name]] == []


def test_the_frozen_catalogue_s_coverage_and_json_schemas_are_the_live_ones(
    frozen_app, tmp_path
) -> None:
    import json

    import jsonschema

    out = tmp_path / "out"
    freeze(frozen_app, out, pagefind=False)
    frozen = json.loads((out / "data" / "catalog.jsonld").read_text(encoding="utf-8"))
    live = frozen_app.test_client().get("/data/catalog.jsonld").get_json(force=True)
    periods = {d["dct:identifier"]: d.get("dct:temporal") for d in frozen["dcat:dataset"]}
    assert periods == {d["dct:identifier"]: d.get("dct:temporal") for d in live["dcat:dataset"]}
    assert periods["vocabularies"] is None
    assert periods["press-releases"]["dcat:startDate"]["@value"] == "2020-06-01"
    for key in periods:
        schema = json.loads((out / "data" / "schemas" / f"{key}.json").read_text("utf-8"))
        download = json.loads((out / "data" / f"{key}.json").read_text("utf-8"))
        jsonschema.validate(download, schema, format_checker=jsonschema.FormatChecker())
