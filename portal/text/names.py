"""Names compared for matching: one rule, the same in Python and in the browser.

The key of a name is: Unicode NFKC; every White_Space and format (Cf) character removed; each
remaining character replaced through one table, which folds traditional and variant Chinese
characters to simplified (OpenCC's TSCharacters, one character to one) and applies Unicode full
case folding (`str.casefold`: ß -> ss, Σ and ς -> σ); NFKC again. The removed characters and the
table are written to names.json beside this module, which the live lookup reads and the frozen
static check ships to the browser (static/js/static-lookup.js applies it the same way), so
neither depends on its own language's idea of white space or case. `python -m portal.text.names`
derives the file again from OpenCC and Python's Unicode data.
"""

from __future__ import annotations

import functools
import hashlib
import json
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from portal.text.chinese import character_table

RULE_FILE = Path(__file__).with_name("names.json")
RULE_VERSION = 1
# Unicode's White_Space property (PropList.txt), listed because Python's str.isspace and the
# \s of regular expressions each mean something slightly different, in each language.
WHITE_SPACE = (
    "\t\n\v\f\r \x85\xa0\u1680"
    + "".join(map(chr, range(0x2000, 0x200B)))
    + "\u2028\u2029\u202f\u205f\u3000"
)
SURROGATES = range(0xD800, 0xE000)


@dataclass(frozen=True)
class NameRule:
    """The characters a key leaves out and the table that folds the others."""

    removed: str
    fold: dict[str, str]
    translation: dict[int, str | None] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        translation: dict[int, str | None] = {ord(ch): value for ch, value in self.fold.items()}
        translation.update(dict.fromkeys(map(ord, self.removed)))
        object.__setattr__(self, "translation", translation)

    def to_json(self) -> str:
        """The rule as names.json holds it (and the browser fetches it)."""
        content = {"version": RULE_VERSION, "removed": self.removed, "fold": self.fold}
        return json.dumps(content, ensure_ascii=False, sort_keys=True, indent=0) + "\n"

    @functools.cached_property
    def digest(self) -> str:
        """A short hash of the rule: keys derived under another rule are stale."""
        return hashlib.sha256(self.to_json().encode()).hexdigest()[:16]

    def key(self, name: str) -> str:
        """The key of a name under this rule."""
        folded = unicodedata.normalize("NFKC", name).translate(self.translation)
        return unicodedata.normalize("NFKC", folded)


def derive_rule() -> NameRule:
    """The rule from its sources: OpenCC's character table and Python's Unicode data."""
    chinese = character_table("TSCharacters")

    def fold_once(text: str) -> str:
        folded = "".join(chinese.get(ch, ch) for ch in text).casefold()
        return unicodedata.normalize("NFKC", folded)  # ǰ folds to j + U+030C, composed again

    removed, fold = [], {}
    for code in range(sys.maxunicode + 1):
        if code in SURROGATES:
            continue
        ch = chr(code)
        if ch in WHITE_SPACE or unicodedata.category(ch) == "Cf":
            removed.append(ch)
        elif unicodedata.normalize("NFKC", ch) == ch:  # others never survive the first NFKC
            folded, previous = fold_once(ch), ch
            while folded != previous:  # 薴 -> 苧 -> 苎: the table gives the end of a chain
                folded, previous = fold_once(folded), folded
            if folded != ch:
                fold[ch] = folded
    return NameRule(removed="".join(removed), fold=fold)


@functools.cache
def name_rule() -> NameRule:
    """The rule in force: names.json."""
    content = json.loads(RULE_FILE.read_text("utf-8"))
    if content.get("version") != RULE_VERSION:
        raise ValueError(f"{RULE_FILE}: not a version {RULE_VERSION} name rule")
    return NameRule(removed=content["removed"], fold=content["fold"])


def name_key(name: str) -> str:
    """A name for matching, in the live lookup and the static check alike (張 偉 -> 张伟,
    STRASSE and Straße -> strasse)."""
    return name_rule().key(name)


if __name__ == "__main__":
    RULE_FILE.write_text(derive_rule().to_json(), "utf-8")
    print(f"wrote {RULE_FILE}")
