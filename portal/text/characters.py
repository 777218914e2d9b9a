"""The characters no text of the portal may hold, in requests and records alike."""

from __future__ import annotations

import re

# The characters XML 1.0 forbids: NUL and the other C0 controls but tab, line feed and carriage
# return; unpaired surrogates; U+FFFE and U+FFFF. PostgreSQL refuses NUL in text, a surrogate
# cannot be encoded as UTF-8, and no page, feed or record of the portal can hold any of them.
UNUSABLE_CLASS = "[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]"
UNUSABLE = re.compile(UNUSABLE_CLASS)
# The same rule as a JSON Schema pattern, for the OpenAPI document (unpaired surrogates left
# out: no URL carries one, and schema tools cannot write a pattern that holds them).
USABLE_TEXT_PATTERN = "^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\ufffe\\uffff]*$"
