"""`portal load` syncs the database with the content folder, all or nothing, on both databases."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from portal.content.press import ContentError
from portal.db.engine import make_session_factory, upgrade_schema
from portal.db.load import load_content
from portal.db.models import Attachment, Case, Page, PressRelease
from tests.support.site import SiteBuilder


@pytest.fixture
def engine(engine_for, database_url: str) -> Engine:
    engine = engine_for(database_url)
    upgrade_schema(engine)
    return engine


def load(engine: Engine, site: SiteBuilder):
    return load_content(make_session_factory(engine), site.content, site.cases)


def snapshot(engine: Engine) -> list[tuple]:
    """Every row a load may touch, timestamps included, to prove a failed load changed nothing."""
    with Session(engine) as session:
        releases = [
            (r.year, r.slug, r.lang, r.title, r.body_html, r.source_hash, r.updated_at)
            for r in session.scalars(select(PressRelease).order_by(PressRelease.source_path))
        ]
        pages = [(p.slug, p.lang, p.title, p.updated_at) for p in session.scalars(select(Page))]
        files = [(a.title, a.path) for a in session.scalars(select(Attachment))]
    return [*releases, *pages, *files]


def nonzero(counts: dict[str, int]) -> dict[str, int]:
    return {kind: count for kind, count in counts.items() if count}


def test_a_first_load_adds_everything(engine: Engine, site: SiteBuilder) -> None:
    report = load(engine, site.standard())
    assert nonzero(report.added) == {"press releases": 3, "pages": 4}
    with Session(engine) as session:
        zh = session.scalar(select(PressRelease).where(PressRelease.lang == "zh"))
        assert (zh.title, zh.sample_translation) == ("年度报告", True)


def test_loading_unchanged_content_again_changes_nothing(engine: Engine, site: SiteBuilder) -> None:
    load(engine, site.standard())
    before = snapshot(engine)
    report = load(engine, site)
    assert not report.changed
    assert snapshot(engine) == before


def test_a_changed_file_updates_its_row_only(engine: Engine, site: SiteBuilder) -> None:
    load(engine, site.standard())
    before = {row[:3]: row for row in snapshot(engine) if len(row) == 7}
    site.release(2020, "older-news", "en", date="2020-06-01", title="Corrected title")
    report = load(engine, site)
    assert nonzero(report.updated) == {"press releases": 1}
    after = {row[:3]: row for row in snapshot(engine) if len(row) == 7}
    assert after[(2020, "older-news", "en")][3] == "Corrected title"
    assert after[(2020, "older-news", "en")][6] > before[(2020, "older-news", "en")][6]
    assert after[(2021, "annual-report", "en")] == before[(2021, "annual-report", "en")]


def test_a_deleted_file_removes_its_row_and_its_attachments(
    engine: Engine, site: SiteBuilder
) -> None:
    (site.content / "press/2020/attachments").mkdir(parents=True)
    (site.content / "press/2020/attachments/a.pdf").write_bytes(b"%PDF")
    site.standard()
    site.release(2020, "older-news", "en", date="2020-06-01",
                 attachments=[{"file": "attachments/a.pdf", "title": "A"}])  # fmt: skip
    load(engine, site)
    (site.content / "press/2020/older-news.en.md").unlink()
    report = load(engine, site)
    assert nonzero(report.removed) == {"press releases": 1}
    with Session(engine) as session:
        assert session.scalars(select(Attachment)).all() == []
        assert len(session.scalars(select(PressRelease)).all()) == 2


def test_a_bad_file_loads_nothing_and_leaves_the_database_as_it_was(
    engine: Engine, site: SiteBuilder
) -> None:
    load(engine, site.standard())
    before = snapshot(engine)
    site.release(2021, "new-release", "en")  # would be added
    site.release(2020, "older-news", "en", date="2020-06-01", title="Changed")  # would update
    (site.content / "pages/licence.zh.md").unlink()  # would be removed
    site.write("press/2021/broken.en.md", "title: Broken\ndate: 2021-13-01\nsummary: S")
    with pytest.raises(ContentError) as caught:
        load(engine, site)
    assert [p.path for p in caught.value.problems] == ["press/2021/broken.en.md"]
    assert snapshot(engine) == before


def test_a_failure_while_writing_rolls_the_whole_sync_back(
    engine: Engine, site: SiteBuilder, monkeypatch: pytest.MonkeyPatch
) -> None:
    load(engine, site.standard())
    before = snapshot(engine)
    site.release(2021, "new-release", "en")
    (site.content / "pages/about.zh.md").unlink()

    import portal.db.sync

    def failing_apply_page(row, source):
        raise RuntimeError("disk full")

    monkeypatch.setattr(portal.db.sync, "_apply_page", failing_apply_page)
    site.page("about", "en", title="New title")
    with pytest.raises(RuntimeError, match="disk full"):
        load(engine, site)
    assert snapshot(engine) == before


def test_the_bundled_content_loads(engine: Engine) -> None:
    root = Path(__file__).resolve().parents[2]
    report = load_content(make_session_factory(engine), root / "content", root / "cases")
    assert nonzero(report.added) == {
        "press releases": 2,
        "pages": 6,  # about, licence and contact, in both languages
        "collections": 6,
        "cases": 12,
        "vocabulary terms": report.added["vocabulary terms"],
        "statistic groups": 5,
        "statistics": 14,
        "victim notices": 2,  # the demonstration, in both languages
    }
    assert report.added["vocabulary terms"] > 100


def test_a_removal_is_recorded_for_the_changes_list_in_the_same_transaction(
    engine: Engine, site: SiteBuilder, monkeypatch: pytest.MonkeyPatch
) -> None:
    from portal.db.models import Removal

    load(engine, site.standard().statistics())
    (site.content / "press/2020/older-news.en.md").unlink()
    data = site.statistics_data()
    data["groups"][1]["figures"].pop()  # the figure "paid" goes
    site.statistics(data)
    report = load(engine, site)
    assert nonzero(report.removed) == {"press releases": 1, "statistics": 1}
    with Session(engine) as session:
        removals = [(r.kind, r.key, r.lang) for r in session.scalars(select(Removal))]
        assert sorted(removals, key=str) == [
            ("press-release", "2020/older-news", "en"),
            ("statistic", "paid/2020", None),
        ]
    # A sync that fails after deleting rows leaves neither the rows deleted nor removals recorded.
    (site.content / "pages/about.zh.md").unlink()
    import portal.db.sync

    monkeypatch.setattr(portal.db.sync, "_apply_page", lambda row, source: 1 / 0)
    site.page("about", "en", title="New title")
    with pytest.raises(ZeroDivisionError):
        load(engine, site)
    with Session(engine) as session:
        assert len(session.scalars(select(Removal)).all()) == 2
        assert session.scalar(select(Page).where(Page.slug == "about", Page.lang == "zh"))


def test_a_victim_notice_loads_with_its_payout_and_its_removal_is_recorded(
    engine: Engine, site: SiteBuilder
) -> None:
    from portal.db.models import Removal, VictimNotice

    site.standard().victim_notice()
    assert nonzero(load(engine, site).added)["victim notices"] == 1
    with Session(engine) as session:
        notice = session.scalars(select(VictimNotice)).one()
        assert notice.materials[0].startswith("Identity card")
        assert notice.payout_figures is not None
        assert str(notice.payout_figures.ratio_percent) == "18.42915"
    (site.content / "victims/demo-case.en.md").unlink()
    assert load(engine, site).removed["victim notices"] == 1
    with Session(engine) as session:
        assert session.scalars(select(VictimNotice)).all() == []
        removals = [(r.kind, r.key, r.lang) for r in session.scalars(select(Removal))]
        assert removals == [("victim-notice", "demo-case", "en")]


def test_a_case_edited_around_its_measures_keeps_them_in_order(
    engine: Engine, site: SiteBuilder
) -> None:
    site.collection("2020-difficult")
    site.case("2020-difficult", "01-zhang", measures=["fine", "detention"])
    load(engine, site)
    site.case("2020-difficult", "01-zhang", title="Edited", measures=["detention", "fine"])
    assert nonzero(load(engine, site).updated) == {"cases": 1}
    site.case("2020-difficult", "01-zhang", title="Edited again", measures=["detention"])
    load(engine, site)
    with Session(engine) as session:
        (case,) = session.scalars(select(Case)).all()
        assert (case.title, case.measures) == ("Edited again", ["detention"])


def test_a_new_renderer_version_renders_every_file_again(
    engine: Engine, site: SiteBuilder, monkeypatch: pytest.MonkeyPatch
) -> None:
    import portal.content.files

    load(engine, site.standard())
    monkeypatch.setattr(portal.content.files, "RENDERER_VERSION", "next")
    report = load(engine, site)
    assert nonzero(report.updated) == {"press releases": 3, "pages": 4}
    assert not load(engine, site).changed
