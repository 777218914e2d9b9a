"""Languages in the web app: the /<lang>/ URL segment, Flask-Babel, alternates, canonical URLs."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, g, render_template, request, url_for
from flask_babel import Babel, get_translations, lazy_gettext
from jinja2 import pass_context
from jinja2.runtime import Context
from werkzeug.routing import BaseConverter

from portal.content.facets import SEARCH_FACETS
from portal.text.languages import DEFAULT_LANGUAGE, LANGUAGE_CODES, LANGUAGES, Language
from portal.web.filters import PageFormats

# The facets' labels, translated where they are shown.
FACET_NAMES = {name: lazy_gettext(facet.label) for name, facet in SEARCH_FACETS.items()}
# The template variable holding the page's formats: its locale and catalogue, resolved once.
PAGE_FORMATS = "page_formats"


class LanguageConverter(BaseConverter):
    """Matches only the portal's language codes, so /fr/ is a plain 404."""

    regex = "|".join(LANGUAGE_CODES)


def current_language() -> Language:
    """The language of the current page (from the URL), or the default outside /<lang>/."""
    return LANGUAGES[g.get("lang") or DEFAULT_LANGUAGE]


def language_of_path(path: str) -> str | None:
    """The language code a URL path starts with, if any."""
    first = path.lstrip("/").split("/", 1)[0]
    return first if first in LANGUAGES else None


def preferred_language() -> str:
    """The language the browser asks for most, among the portal's."""
    return request.accept_languages.best_match(LANGUAGE_CODES, default=DEFAULT_LANGUAGE)


def absolute_url(endpoint: str, **values: Any) -> str:
    """The public URL of an endpoint, on PORTAL_SITE_URL (which may include a sub-path)."""
    return _public(url_for(endpoint, **values))


def _public(url: str) -> str:
    """A URL built for this request, on PORTAL_SITE_URL instead of the request's root."""
    return current_app.config["SITE_URL"].rstrip("/") + url[len(request.script_root) :]


def render_page(
    template: str, available: tuple[str, ...] | list[str] = LANGUAGE_CODES, **context: Any
) -> str:
    """Render a page with its canonical URL and its translations among `available` languages."""
    endpoint = request.endpoint or ""
    values = dict(request.view_args or {})
    lang = current_language().code
    urls = {
        code: url_for(endpoint, **{**values, "lang": code})
        for code in LANGUAGE_CODES
        if code in available
    }
    translations = [
        {"language": LANGUAGES[code], "url": url, "absolute_url": _public(url)}
        for code, url in urls.items()
    ]
    others = [t for t in translations if t["language"].code != lang]
    return render_template(
        template,
        canonical_url=_public(urls.get(lang) or url_for(endpoint, **{**values, "lang": lang})),
        translations=others,
        # The language switch's links, by language code.
        translation_urls={t["language"].code: t["url"] for t in others},
        alternates=translations if len(translations) > 1 else [],
        **context,
    )


def _catalogue(context: Context) -> Any:
    """The page's catalogue, found once per page by `language_context`; Flask-Babel's own lookup
    for a template rendered without it."""
    formats = context.get(PAGE_FORMATS)
    return get_translations() if formats is None else formats.translations


@pass_context
def _template_gettext(context: Context, string: str) -> str:
    return _catalogue(context).ugettext(string)


@pass_context
def _template_ngettext(context: Context, singular: str, plural: str, num: int) -> str:
    return _catalogue(context).ungettext(singular, plural, num)


@pass_context
def _template_pgettext(context: Context, message_context: str, string: str) -> str:
    return _catalogue(context).upgettext(message_context, string)


@pass_context
def _template_npgettext(
    context: Context, message_context: str, singular: str, plural: str, num: int
) -> str:
    return _catalogue(context).unpgettext(message_context, singular, plural, num)


def init_i18n(app: Flask) -> None:
    """Route /<lang>/ URLs and select the UI language from them."""
    app.url_map.converters["lang"] = LanguageConverter

    @app.url_value_preprocessor
    def take_language(_endpoint: str | None, values: dict[str, Any] | None) -> None:
        if values and "lang" in values:
            g.lang = values["lang"]

    @app.url_defaults
    def add_language(endpoint: str, values: dict[str, Any]) -> None:
        if (
            "lang" not in values
            and g.get("lang")
            and app.url_map.is_endpoint_expecting(endpoint, "lang")
        ):
            values["lang"] = g.lang

    Babel(app, locale_selector=lambda: current_language().locale)
    # Jinja's "new style" gettext, as Flask-Babel installs it (the catalogue's text is trusted,
    # the values put into it are escaped), but reading the catalogue from the page's context:
    # Flask-Babel's callables look it up again through the request for each of a page's forty
    # strings, a third of a small page's rendering.
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=_template_gettext,
        ngettext=_template_ngettext,
        newstyle=True,
        pgettext=_template_pgettext,
        npgettext=_template_npgettext,
    )

    @app.context_processor
    def language_context() -> dict[str, Any]:
        return {
            "current_language": current_language(),
            "languages": LANGUAGES,
            PAGE_FORMATS: PageFormats.current(),
        }
