"""The victims' part of the frozen copy: the status check's page explains that only the live
portal answers and links there, with no form; the case figures from the register are published
only in aggregate, and no file holds a victim's name or number."""

from __future__ import annotations

from pathlib import Path

import frictionless
import pytest
from bs4 import BeautifulSoup
from flask import Flask

from portal.registers.identity import IdentityKeys
from portal.static_site.freeze import freeze
from portal.web.db import session_factory
from tests.support.debtorfiles import TEST_SECRET, resident_id
from tests.support.site import SiteBuilder
from tests.support.victimfiles import add_victims, confirmed_victim, victim

KEY = "demo-case"
LIVE = "https://live.example.test/"


def many_victims(count: int) -> list[dict]:
    """`count` confirmed victims of the case, each paid in batch 1 with batch 2 failing."""
    return [
        confirmed_victim(f"V{n}", case_key=KEY, name=f"测试{n:03d}",
                         id_number=resident_id(sequence=f"{n:03d}"))
        for n in range(1, count + 1)
    ]  # fmt: skip


@pytest.fixture
def frozen_victims_app(make_app, site: SiteBuilder, sqlite_url: str) -> Flask:
    site.standard()
    for lang in ("en", "zh"):
        site.victim_notice(key=KEY, lang=lang)
    app = make_app(sqlite_url, SECRET_KEY=TEST_SECRET, LIVE_URL=LIVE)
    rows = [*many_victims(12), victim("R1", case_key=KEY, name="孤单", status="disputed")]
    with session_factory(app)() as session:
        add_victims(session, IdentityKeys.from_secret(TEST_SECRET), rows)
    return app


@pytest.fixture
def frozen(frozen_victims_app: Flask, tmp_path: Path) -> Path:
    out = tmp_path / "out"
    freeze(frozen_victims_app, out, pagefind=False)
    return out


def page(out: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((out / path / "index.html").read_text("utf-8"), "html.parser")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_frozen_status_page_explains_and_links_to_the_live_check(
    frozen: Path, lang: str
) -> None:
    html = page(frozen, f"{lang}/victims/status")
    assert html.find("form") is None  # nothing that would post to nowhere
    assert html.find("input") is None
    link = html.select_one(".victim-status__live-only a")
    assert link["href"] == f"{LIVE}{lang}/victims/status/"
    assert html.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    text = html.select_one(".victim-status__live-only").get_text(" ", strip=True)
    assert ("without limit" in text) if lang == "en" else ("不受限制" in text)


def test_without_a_live_portal_the_frozen_page_says_where_to_check(
    make_app, site: SiteBuilder, sqlite_url: str, tmp_path: Path
) -> None:
    site.standard()
    out = tmp_path / "out"
    freeze(make_app(sqlite_url), out, pagefind=False)
    html = page(out, "en/victims/status")
    assert html.find("form") is None
    assert html.select(".victim-status__live-only a") == []
    assert "live portal" in html.select_one(".victim-status__live-only").get_text()


def test_no_frozen_file_holds_a_victims_name_or_number(frozen: Path) -> None:
    secrets = [row["name"] for row in many_victims(12)] + ["孤单"]
    secrets += [row["id_number"] for row in many_victims(12)]
    for path in frozen.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for secret in secrets:
                assert secret.encode() not in data, (path, secret)


def test_the_frozen_notice_shows_the_register_figures_of_ten_or_more_only(frozen: Path) -> None:
    html = page(frozen, f"en/victims/{KEY}")
    figures = html.select_one(".victim-figures")
    rows = {
        row.th.get_text(strip=True): [cell.get_text(strip=True) for cell in row.select("td")]
        for row in figures.select("tbody tr")
    }
    assert rows["Confirmed"][0] == "12 people"
    assert rows["Disputed"] == ["withheld"] * 3  # one person: never shown
    assert rows["Batch 1"][1:] == ["12 people", "265,380.00 yuan", "withheld"]


def test_the_frozen_data_package_with_the_victims_figures_validates(frozen: Path) -> None:
    report = frictionless.validate(str(frozen / "data" / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    download = (frozen / "data" / "victim-statistics.csv").read_text("utf-8-sig")
    assert "孤单" not in download
    assert "测试001" not in download
