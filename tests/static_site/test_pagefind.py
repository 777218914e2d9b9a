"""The frozen copy's search files beside Pagefind's index: the table that folds a query."""

from __future__ import annotations

import json
from pathlib import Path

from portal.static_site.pagefind import write_fold_table
from portal.text.chinese import to_simplified


def test_the_fold_table_folds_each_character_as_the_live_search_does(tmp_path: Path) -> None:
    path = tmp_path / "fold.json"
    write_fold_table(path)
    table = json.loads(path.read_text("utf-8"))
    assert "".join(table.get(c, c) for c in "民間借貸") == "民间借贷"
    assert len(table) > 2000  # OpenCC's whole character table, not a hand-made few
    assert all(to_simplified(key) == value for key, value in table.items())
