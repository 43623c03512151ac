"""Why a result matched, as structured reasons a page renders in four languages, and a highlighter.

A reason is a message key of :mod:`microcred.core.i18n` and its values, e.g.
``search.reason.concept`` -> "matches ISCED-F 0613 “Software and applications development and
analysis” through the word “programare” (Romanian)".
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass

from microcred.core.i18n import translate
from microcred.core.search.engine import Hit
from microcred.core.search.text import LANGUAGES, fold, term, words

SCHEME_NAMES = {
    "isced-f": "ISCED-F",
    "eqf": "EQF",
    "esco-skill": "ESCO",
    "esco-skill-group": "ESCO",
    "esco-occupation": "ESCO",
}


@dataclass(frozen=True)
class Reason:
    """One reason: a message key and the values it needs."""

    key: str
    values: dict[str, str]

    def text(self, language: str) -> str:
        """The reason in ``language`` (en/fr/ro/de)."""
        values = dict(self.values)
        if "word_language" in values:
            values["word_language"] = translate(f"language.{values['word_language']}", language)
        return translate(self.key, language, **values)


def explain(hit: Hit, language: str = "en") -> tuple[Reason, ...]:
    """The reasons of a hit: the query words found in its text, the concepts it carries."""
    reasons: list[Reason] = []
    if hit.text_words:
        reasons.append(Reason("search.reason.text", {"words": ", ".join(hit.text_words)}))
    for match in hit.concepts:
        concept = match.concept
        scheme = SCHEME_NAMES.get(concept.scheme, "")
        code = f"{scheme} {concept.notation}".strip() if concept.notation and scheme else scheme
        reasons.append(
            Reason(
                "search.reason.concept",
                {
                    "concept": code or concept.label(language),
                    "label": concept.label(language),
                    "words": " ".join(match.words),
                    "word_language": match.language,
                },
            )
        )
    return tuple(reasons)


@dataclass(frozen=True)
class Snippet:
    """A piece of text cut into parts, each marked or not (the caller escapes and renders)."""

    parts: tuple[tuple[str, bool], ...]
    cut_start: bool
    cut_end: bool

    def html(self, mark: Callable[[str], str] = lambda s: f"<mark>{s}</mark>") -> str:
        body = "".join(mark(html.escape(t)) if hit else html.escape(t) for t, hit in self.parts)
        return ("…" if self.cut_start else "") + body + ("…" if self.cut_end else "")


def highlight(text: str, query: str, language: str | None, *, width: int = 160) -> Snippet:
    """The part of ``text`` around the first query word, with every query word marked.

    A word of the text is marked when its term (in the text's language) equals one of the
    query word's stems in any of the four languages, as matching does."""
    stems = {fold(w.text) for w in words(query, None)}
    stems |= {term(w.text, lang) for w in words(query, None) for lang in LANGUAGES}
    spans = [(w.start, w.end) for w in words(text, language) if w.term in stems]
    start = max(0, spans[0][0] - width // 4) if spans else 0
    end = min(len(text), start + width)
    parts: list[tuple[str, bool]] = []
    cursor = start
    for low, high in spans:
        if low < start or high > end:
            continue
        if low > cursor:
            parts.append((text[cursor:low], False))
        parts.append((text[low:high], True))
        cursor = high
    if cursor < end:
        parts.append((text[cursor:end], False))
    return Snippet(tuple(parts), start > 0, end < len(text))
