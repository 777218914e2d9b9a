"""The portal's languages: URL codes, HTML language tags and names."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    """A language the portal publishes in."""

    code: str  # the first URL segment and the content file suffix
    html_lang: str  # BCP 47 tag for <html lang> and hreflang
    locale: str  # the Babel locale for UI strings, dates and numbers
    name: str  # the language's name in itself, for the language switch


LANGUAGES: dict[str, Language] = {
    "en": Language(code="en", html_lang="en", locale="en", name="English"),
    "zh": Language(code="zh", html_lang="zh-Hans", locale="zh", name="中文"),
}
LANGUAGE_CODES: tuple[str, ...] = tuple(LANGUAGES)
DEFAULT_LANGUAGE = "en"


def other_languages(code: str) -> list[Language]:
    """The languages a page in `code` may link to as translations."""
    return [language for language in LANGUAGES.values() if language.code != code]
