"""Templates translate in the page's language, as Jinja's "new style" gettext does: the catalogue's
text is trusted, the values put into it are escaped; with or without the page's context."""

from __future__ import annotations

from flask import Flask, render_template_string


def test_a_template_speaks_the_language_of_its_url(app: Flask) -> None:
    for lang, home in (("en", "Home"), ("zh", "首页")):
        with app.test_request_context(f"/{lang}/"):
            app.preprocess_request()
            assert render_template_string("{{ _('Home') }}") == home
            # A template rendered without Flask's context processors finds the catalogue itself.
            assert app.jinja_env.from_string("{{ _('Home') }}").render() == home


def test_translated_text_escapes_the_values_put_into_it(app: Flask) -> None:
    with app.test_request_context("/zh/"):
        app.preprocess_request()
        page = render_template_string(
            "{{ _('Atom feed: %(title)s', title=title) }}|"
            "{{ ngettext('%(count)s case', '%(count)s cases', 2, count=count) }}",
            title="<b>x</b>",
            count="<i>2</i>",
        )
    assert page == "Atom 订阅：&lt;b&gt;x&lt;/b&gt;|&lt;i&gt;2&lt;/i&gt;件"
