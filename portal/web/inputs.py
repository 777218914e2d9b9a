"""Input no view can use, refused in one place before any view or query sees it: a path segment
that cannot name anything is a 404 (the URL converters); a query or form field, or a member of a
JSON body that a view reads, holding a character no text may hold (portal/text/characters.py)
is a 400 naming it. Integers in paths are ASCII digits within a database integer, by the one
rule of portal/text/numbers.py."""

from __future__ import annotations

from typing import Any

from flask import Flask, request
from flask_babel import gettext
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter, PathConverter, UnicodeConverter, ValidationError

from portal.text.characters import UNUSABLE
from portal.text.numbers import MAX_WHOLE_NUMBER, whole_number


class UnusableInput(BadRequest):
    """A field of the request holds a character no text may hold; `detail` says which field."""

    def __init__(self, field: str) -> None:
        shown = UNUSABLE.sub("\N{REPLACEMENT CHARACTER}", field)[:40]
        self.detail = gettext(
            "The value of “%(name)s” holds a character no text may hold (a NUL, another control "
            "character or an unpaired surrogate).",
            name=shown,
        )
        super().__init__(description=self.detail)


class JsonTooDeep(BadRequest):
    description = "The JSON body is nested too deeply."


class WholeNumberConverter(IntegerConverter):
    """`<int:…>`: ASCII digits only (werkzeug's `\\d` also takes ٣ and ３), at most
    MAX_WHOLE_NUMBER, so no integer from a path overflows a query."""

    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        if self.fixed_digits and len(value) != self.fixed_digits:
            raise ValidationError()
        high = MAX_WHOLE_NUMBER if self.max is None else min(self.max, MAX_WHOLE_NUMBER)
        number = whole_number(value, self.min or 0, high)
        if number is None:
            raise ValidationError()
        return number


class TextConverter(UnicodeConverter):
    """`<name>`: a segment holding an unusable character names nothing."""

    def to_python(self, value: str) -> str:
        if UNUSABLE.search(value):
            raise ValidationError()
        return value


class TextPathConverter(PathConverter):
    """`<path:name>`: as TextConverter, over several segments."""

    def to_python(self, value: str) -> str:
        if UNUSABLE.search(value):
            raise ValidationError()
        return value


def json_body() -> Any:
    """The request's JSON body (None when it is not JSON); 400 when it is nested deeper than the
    parser goes. The view checks the members it reads with `refuse_unusable`."""
    try:
        return request.get_json(silent=True)
    except RecursionError:
        raise JsonTooDeep() from None


def refuse_unusable(name: str, value: str) -> None:
    """400 naming the field `name` if it or its `value` holds an unusable character."""
    if UNUSABLE.search(name) or UNUSABLE.search(value):
        raise UnusableInput(name)


def refuse_unusable_fields() -> None:
    """Before a view runs: 400 for a query or form field that holds an unusable character (a
    URL that matched no route stays a 404)."""
    if request.routing_exception is not None:
        return
    for fields in (request.args, request.form):
        for name, value in fields.items(multi=True):
            refuse_unusable(name, value)


def init_inputs(app: Flask) -> None:
    """Install the converters (before any route is added) and the check of fields."""
    app.url_map.converters.update(
        int=WholeNumberConverter,
        default=TextConverter,
        string=TextConverter,
        path=TextPathConverter,
    )
    app.before_request(refuse_unusable_fields)
