"""The one name rule: Python and the static check's JavaScript (run in Node) give identical keys
for every hard name; equivalent spellings share a key; names.json is what the rule's sources
give."""

from __future__ import annotations

import json
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from portal.text.names import RULE_FILE, WHITE_SPACE, derive_rule, name_key, name_rule
from tests.support.hard_names import DIFFERENT_NAMES, EQUIVALENT_SPELLINGS, HARD_NAMES
from tests.support.site import require_tool

SCRIPT = Path(__file__).parents[2] / "portal" / "static" / "js" / "static-lookup.js"
# Reads a JSON list of names on stdin and writes their keys, through static-lookup.js itself.
NODE_PROGRAM = """
const lookup = require(process.argv[1]);
const rule = JSON.parse(require("fs").readFileSync(process.argv[2], "utf-8"));
const names = JSON.parse(require("fs").readFileSync(0, "utf-8"));
process.stdout.write(JSON.stringify(names.map((name) => lookup.nameKey(name, rule))));
"""


def node_keys(names: list[str]) -> list[str]:
    node = require_tool(shutil.which("node"), "Node.js (node)")
    result = subprocess.run(
        [node, "-e", NODE_PROGRAM, str(SCRIPT), str(RULE_FILE)],
        input=json.dumps(names),  # ASCII with \\u escapes: no encoding between the two
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_python_and_javascript_give_identical_keys_for_every_hard_name() -> None:
    python = [name_key(name) for name in HARD_NAMES]
    assert dict(zip(HARD_NAMES, node_keys(HARD_NAMES), strict=True)) == dict(
        zip(HARD_NAMES, python, strict=True)
    )


@pytest.mark.parametrize("spellings", EQUIVALENT_SPELLINGS, ids=lambda group: group[0])
def test_equivalent_spellings_share_one_key(spellings: tuple[str, ...]) -> None:
    keys = {spelling: name_key(spelling) for spelling in spellings}
    assert len(set(keys.values())) == 1, keys


@pytest.mark.parametrize(("one", "other"), DIFFERENT_NAMES)
def test_different_names_keep_different_keys(one: str, other: str) -> None:
    assert name_key(one) != name_key(other)


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Straße", "strasse"),  # full case folding, not lower case
        ("乾隆", "干隆"),  # character by character, as the browser can
        ("ΟΔΥΣΣΕΥΣ", "οδυσσευσ"),  # no final sigma: Σ and ς fold alike
        ("İstanbul", "i\u0307stanbul"),
        ("ß\u0301", "s\u015b"),  # NFKC again after folding
        ("   ", ""),
    ],
)
def test_the_keys_the_rule_gives(name: str, key: str) -> None:
    assert name_key(name) == key


def test_a_key_is_its_own_key() -> None:
    for name in HARD_NAMES:
        assert name_key(name_key(name)) == name_key(name), name


def test_the_removed_characters_are_white_space_and_format_characters() -> None:
    rule = name_rule()
    assert len(WHITE_SPACE) == 25  # PropList.txt's White_Space
    assert set(rule.removed) == set(WHITE_SPACE) | {
        chr(code) for code in range(0x110000) if unicodedata.category(chr(code)) == "Cf"
    }
    assert "\x1c" not in rule.removed  # str.isspace() says yes; Unicode and JavaScript say no


def test_the_table_folds_to_simplified_and_case_folds_and_stops() -> None:
    fold = name_rule().fold
    assert (fold["張"], fold["偉"], fold["峯"], fold["裡"], fold["ß"], fold["ẞ"]) == (
        "张", "伟", "峰", "里", "ss", "ss",
    )  # fmt: skip
    assert fold["薴"] == "苎"
    assert all(name_key(value) == value for value in fold.values())


def test_names_json_is_what_opencc_and_the_unicode_data_give() -> None:
    # Fails after an OpenCC or Python upgrade that changes the rule: run
    # `python -m portal.text.names`, then the name key migration's way of re-deriving keys.
    assert RULE_FILE.read_text("utf-8") == derive_rule().to_json()
