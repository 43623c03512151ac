"""Text normalisation for search: words, case folding, accents, a light stemmer per language.

One pipeline, used for documents and queries alike: split into words (letters and digits),
fold case, unify Romanian s/t-cedilla with s/t-comma, drop stop words, stem with the Snowball
stemmer of the text's language (``snowballstemmer``, pure Python: en/fr/ro/de), and finally strip
accents from the stem so a query typed without diacritics finds accented text. The SQL layer
indexes the output of :func:`index_text` (space-separated terms) with a plain tokenizer
(SQLite FTS5 ``unicode61``, PostgreSQL ``simple``), so both databases match exactly the terms this
module produces; see ``docs/search.md``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

from microcred.core.i18n import SUPPORTED_LANGUAGES

LANGUAGES = SUPPORTED_LANGUAGES  # the one table: microcred.core.i18n
STEMMERS = {"en": "english", "fr": "french", "ro": "romanian", "de": "german"}  # one each
WORD = re.compile(r"[^\W_]+", re.UNICODE)
CEDILLA = str.maketrans({"ş": "ș", "ţ": "ț", "Ş": "Ș", "Ţ": "Ț"})
MAX_WORD = 40

_STOP_WORDS = {
    "en": "a an and are as at be by for from in into is it of on or the to with",
    "fr": "a au aux d de des du en et l la le les ou par pour sur un une dans avec",
    "ro": "a al ale cu de din în la pe pentru și sau un una o ai cel cea prin",
    "de": "der die das des dem den ein eine einer eines und oder in im zu zum zur für von mit auf",
}
STOP_WORDS: dict[str, frozenset[str]] = {k: frozenset(v.split()) for k, v in _STOP_WORDS.items()}


@dataclass(frozen=True)
class Word:
    """A word of a text with its place (for highlighting) and its search term."""

    text: str
    start: int
    end: int
    term: str


def fold(text: str) -> str:
    """Case-folded, Romanian cedillas unified, accents removed: ``Științe`` -> ``stiinte``."""
    decomposed = unicodedata.normalize("NFKD", text.translate(CEDILLA).casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def language_of(tag: str | None) -> str | None:
    """The stemming language for a tag (``fr-BE`` -> ``fr``); ``None`` when we have none."""
    base = (tag or "").strip().lower().replace("_", "-").split("-")[0]
    return base if base in STEMMERS else None


@lru_cache(maxsize=65536)
def term(word: str, language: str | None) -> str:
    """The search term of one word in ``language`` (folded and unstemmed if unknown)."""
    lowered = unicodedata.normalize("NFC", word.translate(CEDILLA).casefold())[:MAX_WORD]
    if language in STEMMERS and not lowered.isdigit():
        lowered = _stemmer(language).stemWord(lowered)
    return fold(lowered)


@lru_cache(maxsize=8)
def _stemmer(language: str) -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer(STEMMERS[language])


def is_stop_word(word: str, language: str | None) -> bool:
    words = STOP_WORDS.get(language or "", frozenset())
    return unicodedata.normalize("NFC", word.translate(CEDILLA).casefold()) in words


def words(text: str, language: str | None) -> Iterator[Word]:
    """The words of ``text`` that count for search, with their places and terms."""
    lang = language_of(language)
    for match in WORD.finditer(text):
        if not is_stop_word(match.group(), lang):
            yield Word(match.group(), match.start(), match.end(), term(match.group(), lang))


def terms(text: str, language: str | None) -> tuple[str, ...]:
    """The search terms of ``text`` in order (repeats kept, for term frequencies)."""
    return tuple(word.term for word in words(text, language))


def index_text(text: str, language: str | None) -> str:
    """What the SQL full-text index stores for ``text``: its terms, separated by spaces."""
    return " ".join(terms(text, language))
