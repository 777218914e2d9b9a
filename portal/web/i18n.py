"""Languages in the web app: the /<lang>/ URL segment, Flask-Babel, alternates, canonical URLs."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from flask import Flask, current_app, g, render_template, request, url_for
from flask_babel import Babel, get_translations, lazy_gettext
from jinja2 import pass_context
from markupsafe import Markup
from werkzeug.routing import BaseConverter

from portal.content.facets import SEARCH_FACETS
from portal.text.languages import DEFAULT_LANGUAGE, LANGUAGE_CODES, LANGUAGES, Language

# The facets' labels, translated where they are shown.
FACET_NAMES = {name: lazy_gettext(facet.label) for name, facet in SEARCH_FACETS.items()}


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
    path = url_for(endpoint, **values)[len(request.script_root) :]
    return current_app.config["SITE_URL"].rstrip("/") + path


def render_page(
    template: str, available: tuple[str, ...] | list[str] = LANGUAGE_CODES, **context: Any
) -> str:
    """Render a page with its canonical URL and its translations among `available` languages."""
    endpoint = request.endpoint or ""
    values = dict(request.view_args or {})
    lang = current_language().code
    translations = [
        {
            "language": LANGUAGES[code],
            "url": url_for(endpoint, **{**values, "lang": code}),
            "absolute_url": absolute_url(endpoint, **{**values, "lang": code}),
        }
        for code in LANGUAGE_CODES
        if code in available
    ]
    return render_template(
        template,
        canonical_url=absolute_url(endpoint, **{**values, "lang": lang}),
        translations=[t for t in translations if t["language"].code != lang],
        alternates=translations if len(translations) > 1 else [],
        **context,
    )


URL_CACHE_SIZE = 20_000


class RememberedUrls:
    """`url_for` for templates, remembering what it built: a page links the same navigation,
    assets and neighbours as the last, and building a URL costs more than rendering its link.
    A URL depends on the values, the page's language and where the site is mounted."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.built: dict[Hashable, str] = {}

    def for_request(self) -> Callable[..., str]:
        """`url_for` for the templates of the current request: what a URL depends on besides
        its values is read once here, not at every link."""
        built, build = self.built, self.app.url_for
        context = (request.host_url, request.script_root, g.get("lang"))

        def url_for_template(endpoint: str, **values: Any) -> str:
            try:
                key = (context, endpoint, *sorted(values.items()))
                url = built.get(key)
            except TypeError:  # an unhashable value: build it every time
                return build(endpoint, **values)
            if url is None:
                if len(built) >= URL_CACHE_SIZE:
                    built.clear()
                url = built[key] = build(endpoint, **values)
            return url

        return url_for_template


def template_gettext(translations: Any) -> dict[str, Callable[..., str]]:
    """`gettext` and `ngettext` for one request's templates, bound to its translations: they
    behave as Jinja's "new style" ones (escaped, always formatted) without looking the
    translations up again for each of a page's dozens of strings."""

    @pass_context
    def gettext(context: Any, string: str, **variables: Any) -> str:
        return _formatted(context, translations.ugettext(string), variables)

    @pass_context
    def ngettext(context: Any, singular: str, plural: str, num: int, **variables: Any) -> str:
        variables.setdefault("num", num)
        return _formatted(context, translations.ungettext(singular, plural, num), variables)

    return {"gettext": gettext, "ngettext": ngettext}


def _formatted(context: Any, text: str, variables: dict[str, Any]) -> str:
    # The catalogue's own text is trusted markup, as Jinja's gettext trusts it; the values put
    # into it are escaped by Markup's `%`.
    return (Markup(text) if context.eval_ctx.autoescape else text) % variables  # noqa: S704


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

    def translations() -> Any:
        # Flask-Babel finds the request's translations anew for every string, and a page has
        # dozens: find them once per request.
        if "translations" not in g:
            g.translations = get_translations()
        return g.translations

    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
    )
    urls = RememberedUrls(app)
    app.jinja_env.globals["url_for"] = lambda endpoint, **values: urls.for_request()(
        endpoint, **values
    )

    @app.context_processor
    def language_context() -> dict[str, Any]:
        # These shadow the environment's url_for and gettext for this request's templates.
        return {
            "current_language": current_language(),
            "languages": LANGUAGES,
            "url_for": urls.for_request(),
            **template_gettext(translations()),
        }
