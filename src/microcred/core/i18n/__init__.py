"""User-interface messages in English, French, Romanian and German, from packaged data.

``messages.json`` maps a key to ``{en, fr, ro, de}``. Keys are:

* the Annex I element keys of :mod:`microcred.core.annex1` and ``cli.describe.ELEMENT_TITLES``
  (``title``, ``learner``, ``eqf_level``...) -> the element's title;
* ``check.<name>`` and ``check.<name>.help`` (format, proof, issuer, status, validity,
  trusted-issuer, holder, challenge), ``outcome.<ok|failed|skipped>``, ``verdict.<verified|
  not-verified|partially-verified>[.help]``, ``verdict.line.*`` and ``verdict.part.*`` (the
  verdict in a sentence), ``status.<active|revoked|suspended|expired>[.help]``;
* ``completeness.<complete|incomplete|not-a-micro-credential|unreadable>[.help]`` and
  ``completeness.line.*`` (Annex I completeness, a result apart from the verdict);
* ``pdf.*`` (printable credential), ``nav.*``, ``footer.*``, ``wallet.*``, ``verifier.*`` (web);
* ``language.<code>``, ``month.<1-12>``, ``format.*`` (dates and numbers).

A message may hold ``{placeholders}``, filled from the keyword arguments of :func:`translate`.

Texts that come with the data (a title in several languages, a concept's labels) are chosen
by :func:`pick`, with one fallback rule everywhere: the reader's language, else English, else
the first text given.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from functools import lru_cache
from importlib import resources

SUPPORTED_LANGUAGES: tuple[str, ...] = ("en", "fr", "ro", "de")
DEFAULT_LANGUAGE = "en"


@lru_cache(maxsize=1)
def messages() -> dict[str, dict[str, str]]:
    """The whole catalogue: key -> {language: text}."""
    text = resources.files("microcred.core.i18n").joinpath("messages.json").read_text("utf-8")
    data: dict[str, dict[str, str]] = json.loads(text)
    return data


def supported(lang: str | None) -> str:
    """The supported language closest to a tag (``fr-BE`` -> ``fr``); English otherwise."""
    base = (lang or "").strip().lower().replace("_", "-").split("-")[0]
    return base if base in SUPPORTED_LANGUAGES else DEFAULT_LANGUAGE


def pick_language(texts: Mapping[str, str] | None, lang: str) -> str | None:
    """The language :func:`pick` shows ``texts`` in (None when there is no text)."""
    if not texts:
        return None
    primary = lang.split("-")[0]
    for candidate in (lang, primary, DEFAULT_LANGUAGE):
        if texts.get(candidate):
            return candidate
    return next((language for language, text in texts.items() if text), None)


def pick(texts: Mapping[str, str] | None, lang: str) -> str | None:
    """The text for a reader of ``lang`` from ``{language: text}``: in ``lang`` (``fr`` serves
    ``fr-BE``), else in English, else the first text given; None when there is none.

    The one rule for every language map shown to people (titles, names, concept labels).
    """
    chosen = pick_language(texts, lang)
    return texts[chosen] if texts and chosen else None


def translate(key: str, lang: str, **values: object) -> str:
    """The message ``key`` in ``lang``, falling back to English; ``KeyError`` if unknown."""
    entry = messages()[key]
    text = entry.get(supported(lang)) or entry[DEFAULT_LANGUAGE]
    return text.format(**values) if values else text


def negotiate(accept_language: str | None) -> str:
    """The best supported language for an HTTP ``Accept-Language`` header (English if none)."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        base = tag.strip().lower().split("-")[0]
        if base in SUPPORTED_LANGUAGES and quality > 0:
            ranked.append((-quality, position, base))
    return min(ranked)[2] if ranked else DEFAULT_LANGUAGE


def format_number(value: Decimal | int | float, lang: str) -> str:
    """A number as people write it in ``lang``: ``7.5`` / ``7,5``; no trailing ``.0``."""
    number = Decimal(str(value))
    if number == number.to_integral_value():
        text = str(number.quantize(Decimal(1)))
    else:
        text = format(number.normalize(), "f")
    return text.replace(".", translate("format.decimal", lang))


def format_date(value: date, lang: str) -> str:
    """A date written out in ``lang``: ``30 June 2026``, ``1er juin 2026``, ``30. Juni 2026``."""
    day = translate("format.first_day", lang) if value.day == 1 else str(value.day)
    month = translate(f"month.{value.month}", lang)
    return translate("format.date", lang, day=day, month=month, year=value.year)
