"""Chinese text: folding traditional characters to simplified, and finding Chinese script."""

from __future__ import annotations

import functools
import re

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
