"""The concept index: words and labels in en/fr/ro/de -> concept URIs, for cross-language search.

A query in Romanian finds a French course when the query names a concept (an ESCO skill, an
ISCED-F field, an EQF level, a language, a country) that the course carries. A concept matches a
query when every term of one of its labels (or search keywords) occurs among the query's terms,
both normalised with the stemmer of the label's language (:mod:`microcred.core.search.text`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from microcred.core.esco import EscoData, packaged_esco
from microcred.core.i18n import pick
from microcred.core.search.text import LANGUAGES, terms, words
from microcred.core.vocab import Vocabularies, vocabularies

ISCED_SNB = "http://data.europa.eu/snb/isced-f/"
ISCED_ESCO = "http://data.europa.eu/esco/isced-f/"
INDEXED_SCHEMES = ("isced-f", "eqf", "language", "country", "esco-skill-group")
COUNTRY_SCHEME_CODES = (
    2  # only ISO alpha-2 countries: the long tail of the authority table is noise
)


@dataclass(frozen=True)
class Concept:
    """A concept the index knows: its URI, scheme, code and display labels."""

    uri: str
    scheme: str
    notation: str | None
    labels: Mapping[str, str]

    def label(self, language: str) -> str:
        return pick(self.labels, language) or self.uri


@dataclass(frozen=True)
class ConceptMatch:
    """A concept named by a query, and how: the query's words, their language, the label."""

    concept: Concept
    words: tuple[str, ...]
    language: str
    label: str


@dataclass(frozen=True)
class _Label:
    uri: str
    language: str
    text: str
    terms: frozenset[str]


@dataclass
class ConceptIndex:
    """Labels of every language, by term; build it with :func:`build_concept_index`."""

    concepts: dict[str, Concept] = field(default_factory=dict)
    labels: list[_Label] = field(default_factory=list)
    by_term: dict[tuple[str, str], list[int]] = field(default_factory=dict)

    def add(self, concept: Concept, texts: Iterable[tuple[str, str]]) -> None:
        self.concepts.setdefault(concept.uri, concept)
        for language, text in texts:
            if language not in LANGUAGES:
                continue
            found = frozenset(terms(text, language))
            if not found or len(found) > 8:
                continue
            self.labels.append(_Label(concept.uri, language, text, found))
            for item in found:
                self.by_term.setdefault((language, item), []).append(len(self.labels) - 1)

    def concept(self, uri: str) -> Concept | None:
        return self.concepts.get(uri)

    def match(self, query: str) -> tuple[ConceptMatch, ...]:
        """The concepts a query names, in any of the four languages, best (longest) first."""
        best: dict[str, ConceptMatch] = {}
        for language in LANGUAGES:
            typed = {w.term: w.text for w in words(query, language)}
            for position in self._candidates(language, typed):
                label = self.labels[position]
                if not label.terms <= typed.keys():
                    continue
                found = ConceptMatch(
                    self.concepts[label.uri],
                    tuple(typed[t] for t in typed if t in label.terms),
                    language,
                    label.text,
                )
                known = best.get(label.uri)
                if known is None or len(found.words) > len(known.words):
                    best[label.uri] = found
        return tuple(sorted(best.values(), key=lambda m: (-len(m.words), m.concept.uri)))

    def _candidates(self, language: str, typed: Mapping[str, str]) -> Iterator[int]:
        seen: set[int] = set()
        for item in typed:
            for position in self.by_term.get((language, item), ()):
                if position not in seen:
                    seen.add(position)
                    yield position


def isced_uri(uri: str) -> str:
    """ESCO's ISCED-F skill groups as the EU Vocabularies concept (esco/isced-f/X -> snb/...)."""
    return ISCED_SNB + uri[len(ISCED_ESCO) :] if uri.startswith(ISCED_ESCO) else uri


def _keywords() -> dict[str, dict[str, list[str]]]:
    text = resources.files("microcred.core.search").joinpath("data", "keywords.json")
    data: dict[str, dict[str, list[str]]] = json.loads(text.read_text("utf-8"))
    data.pop("_comment", None)
    return data


def _vocabulary_concepts(vocab: Vocabularies) -> Iterator[Concept]:
    for key in INDEXED_SCHEMES:
        scheme = vocab.schemes.get(key)
        for item in scheme or ():
            if key == "country" and len(item.notation or "") != COUNTRY_SCHEME_CODES:
                continue
            yield Concept(item.uri, key, item.notation, dict(item.labels))


def build_concept_index(
    vocab: Vocabularies | None = None, esco: EscoData | None = None
) -> ConceptIndex:
    """An index of the packaged vocabularies (ISCED-F, EQF, languages, countries, ESCO skill
    groups when packaged) and of ESCO skills and occupations, with microcred's keywords."""
    index = ConceptIndex()
    keywords = _keywords()
    for concept in _vocabulary_concepts(vocab or vocabularies()):
        extra = [
            (lang, word) for lang, found in keywords.get(concept.uri, {}).items() for word in found
        ]
        index.add(concept, [*concept.labels.items(), *extra])
    data = esco or packaged_esco()
    for skill in data.skills.values():
        shown = {lang: skill.label(lang) for lang in LANGUAGES}
        scheme = "esco-skill-group" if skill.is_group else "esco-skill"
        index.add(Concept(skill.uri, scheme, None, shown), skill.all_labels())
    for occupation in data.occupations.values():
        shown = {lang: occupation.label(lang) for lang in LANGUAGES}
        concept = Concept(occupation.uri, "esco-occupation", occupation.code, shown)
        index.add(concept, occupation.all_labels())
    return index


@lru_cache(maxsize=1)
def packaged_concept_index() -> ConceptIndex:
    """The index of everything microcred ships, built once."""
    return build_concept_index()
