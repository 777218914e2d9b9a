"""The lookup's number check in the browser (static/js/number-check.js, run in Node) accepts
and refuses exactly the numbers the server's rule (portal/registers/identity.py) does."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from portal.registers.identity import is_valid_number, normalise_number
from tests.support.debtorfiles import credit_code, resident_id
from tests.support.site import require_tool

SCRIPT = Path(__file__).parents[2] / "portal" / "static" / "js" / "number-check.js"
NODE_PROGRAM = """
const check = require(process.argv[1]);
const numbers = JSON.parse(require("fs").readFileSync(0, "utf-8"));
process.stdout.write(JSON.stringify(numbers.map((number) => check.isValid(number))));
"""
VALID_ID = resident_id()
VALID_CODE = credit_code()


def wrong_last(number: str) -> str:
    return number[:17] + ("1" if number[17] != "1" else "2")


NUMBERS = [
    VALID_ID,
    resident_id(region="110105", birth="19491231", sequence="002"),  # check character X
    resident_id(birth="20000229"),
    VALID_ID.lower(),
    f" {VALID_ID[:6]} {VALID_ID[6:14]}-{VALID_ID[14:]} ",  # spaces and a hyphen
    "".join(chr(ord(c) + 0xFEE0) for c in VALID_ID),  # full-width digits
    VALID_CODE,
    VALID_CODE.lower(),
    credit_code(region="440300", organisation="12345678"),
    wrong_last(VALID_ID),  # the check character wrong
    wrong_last(resident_id(region="110105", birth="19491231", sequence="002")),
    VALID_ID[:17],  # too short
    VALID_ID + "1",  # too long
    "991010" + VALID_ID[6:],  # no such province
    resident_id(birth="19800230"),  # no such date
    resident_id(birth="18991231"),  # before 1900
    wrong_last(VALID_CODE),
    VALID_CODE[:16] + ("0" if VALID_CODE[16] != "0" else "1") + VALID_CODE[17],  # organisation
    VALID_CODE.replace("A", "I"),  # a letter GB 32100 leaves out
    "not a number at all",
]


def node_verdicts(numbers: list[str]) -> list[bool]:
    node = require_tool(shutil.which("node"), "Node.js (node)")
    result = subprocess.run(
        [node, "-e", NODE_PROGRAM, str(SCRIPT)],
        input=json.dumps(numbers),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_the_browser_and_the_server_judge_every_number_alike() -> None:
    python = [is_valid_number(normalise_number(number)) for number in NUMBERS]
    assert dict(zip(NUMBERS, node_verdicts(NUMBERS), strict=True)) == dict(
        zip(NUMBERS, python, strict=True)
    )
    # The list holds both kinds, so that neither side can pass by saying the same to all.
    assert python.count(True) == 9
    assert python.count(False) == len(NUMBERS) - 9


def test_an_empty_number_is_left_to_the_server() -> None:
    assert node_verdicts(["", "  "]) == [True, True]
