"""Concepts, schemes and labels of controlled vocabularies."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from microcred.core.i18n import DEFAULT_LANGUAGE, pick_language


@dataclass(frozen=True)
class Label:
    """A label in a requested language, or a fallback with the language actually used."""

    text: str
    language: str
    requested: str

    @property
    def fell_back(self) -> bool:
        return self.language != self.requested


@dataclass(frozen=True)
class Concept:
    """One concept of a controlled vocabulary."""

    uri: str
    scheme: str
    labels: Mapping[str, str]
    notation: str | None = None
    broader: str | None = None

    def label(self, language: str = DEFAULT_LANGUAGE) -> Label:
        """The label by :func:`~microcred.core.i18n.pick`'s rule (``language``, English, the
        first), else the URI."""
        chosen = pick_language(self.labels, language)
        if chosen is None:
            return Label(self.uri, "und", language)
        return Label(self.labels[chosen], chosen, language)


@dataclass(frozen=True)
class Scheme:
    """A concept scheme: its key (``eqf``, ``country``...), URI and concepts by URI."""

    key: str
    uri: str
    title: str
    concepts: Mapping[str, Concept] = field(default_factory=dict)

    def __contains__(self, uri: object) -> bool:
        return uri in self.concepts

    def __iter__(self) -> Iterator[Concept]:
        return iter(self.concepts.values())

    def get(self, uri: str) -> Concept | None:
        return self.concepts.get(uri)

    def by_notation(self, notation: str) -> Concept | None:
        """Find a concept by its code (``BE``, ``7``, ``0613``...)."""
        for concept in self.concepts.values():
            if concept.notation == notation:
                return concept
        return None


@dataclass(frozen=True)
class Vocabularies:
    """All packaged schemes, looked up by key or by concept URI."""

    schemes: Mapping[str, Scheme]

    def scheme(self, key: str) -> Scheme:
        return self.schemes[key]

    def concept(self, scheme: str, uri: str) -> Concept | None:
        return self.schemes[scheme].get(uri)

    def find(self, uri: str) -> Concept | None:
        """Find a concept by URI in any scheme."""
        for scheme in self.schemes.values():
            found = scheme.get(uri)
            if found is not None:
                return found
        return None
