"""Names that are hard to key: traditional and variant characters, full-width forms, every kind
of space and invisible character, ß, Greek sigma, Turkish İ, combining marks, compatibility
characters, mixed scripts and emoji. Python's and the browser's keys must agree on each."""

from __future__ import annotations

# Spellings that name the same debtor: each group's keys must be equal.
EQUIVALENT_SPELLINGS = [
    ("张伟", "張偉", "张 伟", "张\u3000伟", "张\u00a0伟", "张\u200b伟", "\t張偉\n", "张\u200d伟"),
    ("干隆", "乾隆"),
    ("陈国强", "陳國強", "陳 國 強"),
    ("郑", "鄭"),
    ("李峰", "李峯"),
    ("里美", "裏美", "裡美"),
    ("zhang wei", "ＺＨＡＮＧ　ＷＥＩ", "Zhang Wei", "ZHANGWEI", "zhang\u2003wei"),
    ("straße", "Straße", "STRASSE", "strasse", "STRAẞE"),
    ("ΟΔΥΣΣΕΥΣ", "Οδυσσευς", "οδυσσευσ"),
    ("Élodie", "E\u0301lodie", "élodie", "ÉLODIE"),
    ("(株)上海", "㈱上海", "（株）上海"),
    ("1号", "①号", "１号"),
    ("上海某某贸易有限公司", "上海某某貿易有限公司"),
    ("O’Brien-Lee", "Ｏ’Ｂｒｉｅｎ-ＬＥＥ"),
]

# Names that must stay apart.
DIFFERENT_NAMES = [
    ("张伟", "张玮"),
    ("O'Brien", "O’Brien"),  # apostrophes are part of a name, and not the same one
    ("王芳", "王芳2"),
    ("İstanbul", "Istanbul"),  # İ folds to i + U+0307, not to a bare i
]

# Every name above, and some that only need to key the same in both languages.
HARD_NAMES = sorted(
    {name for group in EQUIVALENT_SPELLINGS + DIFFERENT_NAMES for name in group}
    | {
        "İSTANBUL",
        "ıstanbul",
        "ǰ",
        "ß\u0301",  # the folded ss takes the accent: sś
        "ᾷ",  # Greek with iota subscript, folded to two characters
        "Ꭰ",  # Cherokee, folded to its small letter
        "ﬀ",
        "Ǆ",
        "薴",  # 薴 -> 苧 -> 苎: a chain the table gives in one step
        "欧阳 钟丽华",
        "歐陽 鍾麗華",
        "鄭國強（香港）有限公司",
        "示例王伟",
        "王\u2060芳\ufeff",  # word joiner and a byte order mark
        "王\u180e芳",  # Mongolian vowel separator: a format character, not a space
        "Ahmed\u200fالعربي",  # a right-to-left mark
        "🙂张伟",
        "\U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f 王",  # tags: Cf
        "☺\ufe0f张伟",  # a variation selector is a mark, and stays
        "👨\u200d👩\u200d👧 family",
        "张\U00020000伟",  # an ideograph outside the Basic Multilingual Plane
        "",
        "   ",
    }
)
