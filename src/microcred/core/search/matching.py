"""How a query meets a document: which query words it covers, by text or by concept.

The rule (the SQL implementations must give the same set of results): the query's words are
its words minus the stop words of the query's language. A word is covered by a document when one
of its four stems (en/fr/ro/de) is among the document's terms in any language, or when it is one
of the words by which the query names a concept the document carries (itself or a narrower one).
A document matches when every word is covered; an empty query matches every document.
"""

from __future__ import annotations

from dataclasses import dataclass

from microcred.core.search.concepts import ConceptIndex, ConceptMatch
from microcred.core.search.document import SearchDocument
from microcred.core.search.text import LANGUAGES, fold, is_stop_word, language_of, term, words


@dataclass(frozen=True)
class QueryWord:
    """A word of the query with its stem in each language."""

    text: str
    stems: frozenset[str]


@dataclass(frozen=True)
class PreparedQuery:
    """A query's words and the concepts it names, computed once per search."""

    words: tuple[QueryWord, ...]
    concepts: tuple[ConceptMatch, ...]

    def all_stems(self) -> frozenset[str]:
        return frozenset(stem for word in self.words for stem in word.stems)


def prepare(text: str, language: str, index: ConceptIndex) -> PreparedQuery:
    """The words and concepts of a query typed in ``language`` (the UI language)."""
    lang = language_of(language)
    found: dict[str, QueryWord] = {}
    for word in words(text, None):
        if is_stop_word(word.text, lang):
            continue
        stems = frozenset({fold(word.text), *(term(word.text, other) for other in LANGUAGES)})
        found.setdefault(fold(word.text), QueryWord(word.text, stems))
    return PreparedQuery(tuple(found.values()), index.match(text) if found else ())


@dataclass(frozen=True)
class Coverage:
    """What of a query a document covers."""

    text_words: tuple[str, ...]
    concepts: tuple[ConceptMatch, ...]
    matches: bool


def document_terms(document: SearchDocument) -> frozenset[str]:
    """Every term of every language field of the document."""
    return frozenset(
        item
        for fields in document.index_texts().values()
        for value in fields.values()
        for item in value.split()
    )


def cover(query: PreparedQuery, document: SearchDocument, terms: frozenset[str]) -> Coverage:
    """Which query words the document covers by text, which concepts it carries."""
    if not query.words:
        return Coverage((), (), True)
    carried = set(document.concepts)
    concepts = tuple(m for m in query.concepts if m.concept.uri in carried)
    by_concept = {fold(w) for m in concepts for w in m.words}
    text_words = tuple(w.text for w in query.words if w.stems & terms)
    covered = {fold(w) for w in text_words} | by_concept
    matches = all(fold(w.text) in covered for w in query.words)
    return Coverage(text_words, concepts, matches)
