"""The facets cases are browsed by and search results filtered by, defined once: the case pages,
their feeds, the search fields, the API's parameters, the labels and the 404 rule derive from it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


# The name of gettext's no-op marker, which `pybabel extract` looks for by default.
def N_(message: str) -> str:
    """Mark a label for translation without translating it: portal/web translates it on use."""
    return message


@dataclass(frozen=True)
class Facet:
    """One facet: its public name, its label, where its values are kept and where they come from."""

    name: str  # the URL segment (/<lang>/cases/<name>/<key>/) and the query parameter (?<name>=)
    label: str  # an English message id; portal/web shows it translated
    index_field: str  # the search index field that holds its values
    attribute: str | None = None  # the case attribute that holds its value(s); None: not of cases
    vocabulary: str | None = None  # the vocabulary kind of its keys; None: plain values (years)
    integer: bool = False  # its keys are whole numbers
    many: bool = False  # a case can have several of its values (a list of keys)

    @property
    def key_variable(self) -> str:
        """The URL variable of a key, e.g. /<lang>/cases/year/<int:key>/."""
        return "<int:key>" if self.integer else "<key>"

    def knows(self, key: object, labels: Mapping[str, Mapping[str, str]]) -> bool:
        """Whether `key` can be a value of this facet: a vocabulary's facet knows only the keys
        of its vocabulary (`labels` by kind, as the database gives them); others know any key."""
        return self.vocabulary is None or key in labels.get(self.vocabulary, {})

    def value_label(self, key: object, labels: Mapping[str, Mapping[str, str]]) -> str:
        """What a reader sees for `key`: its vocabulary label, or the plain value."""
        if self.vocabulary is None:
            return str(key)
        return labels.get(self.vocabulary, {}).get(str(key), str(key))


def _by_name(*facets: Facet) -> dict[str, Facet]:
    return {facet.name: facet for facet in facets}


# The facets of typical cases, in the order the pages show them.
CASE_FACETS = _by_name(
    Facet("court", N_("Court"), "court", attribute="court", vocabulary="courts"),
    Facet("cause", N_("Cause of action"), "cause", attribute="cause", vocabulary="causes"),
    Facet("category", N_("Category"), "category", attribute="category", vocabulary="categories"),
    Facet("year", N_("Year"), "year", attribute="year", integer=True),
    Facet(
        "measure",
        N_("Enforcement measure"),
        "measure",
        attribute="measures",
        vocabulary="measures",
        many=True,
    ),
)
# Search filters: what kind of item and its language, then the facets of cases.
SEARCH_FACETS = _by_name(
    Facet("kind", N_("Type"), "kind"),
    Facet("language", N_("Language"), "lang"),
    *CASE_FACETS.values(),
)
