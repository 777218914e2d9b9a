"""Chinese text: folding traditional characters to simplified, and finding Chinese script."""

from __future__ import annotations

import functools
import re
import subprocess
import tempfile
from pathlib import Path

import opencc

# CJK Unified Ideographs with extension A and the compatibility block: the characters that
# Chinese words are made of (punctuation and full-width forms are not).
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


@functools.cache
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Fold traditional Chinese characters to simplified (民間借貸 -> 民间借贷)."""
    return _converter().convert(text)


def has_han(text: str) -> bool:
    """Whether the text holds any Chinese character."""
    return HAN.search(text) is not None


def character_table(name: str = "TSCharacters") -> dict[str, str]:
    """OpenCC's single-character dictionary `name` as a table of one character to one (the first
    candidate of each entry): what folds a name character by character."""
    # The wheel ships its dictionaries compiled (.ocd2) with the tool that dumps them as text.
    clib = Path(opencc.__file__).parent / "clib"
    tool, source = clib / "bin" / "opencc_dict", clib / "share" / "opencc" / f"{name}.ocd2"
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / f"{name}.txt"
        subprocess.run(  # noqa: S603 - a fixed tool from the installed wheel, fixed arguments
            [str(tool), "-i", str(source), "-o", str(target), "-f", "ocd2", "-t", "text"],
            check=True,
            capture_output=True,
        )
        lines = target.read_text("utf-8").splitlines()
    table = {}
    for line in lines:
        key, _, candidates = line.partition("\t")
        first = candidates.split(" ")[0]
        if len(key) == 1 and len(first) == 1 and key != first:
            table[key] = first
    return table
