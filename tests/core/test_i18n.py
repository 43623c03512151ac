"""The message catalogue: complete in four languages, with English fallback."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest

from microcred.core.annex1 import MANDATORY, OPTIONAL
from microcred.core.i18n import (
    SUPPORTED_LANGUAGES,
    format_date,
    format_number,
    messages,
    negotiate,
    pick,
    pick_language,
    supported,
    translate,
)
from microcred.core.summary import SUMMARY_KEYS

CHECKS = (
    "format", "proof", "issuer", "status", "validity", "trusted-issuer", "holder", "challenge",
    "seal-timestamp", "seal-chain", "seal-trust",
)  # fmt: skip
COMPLETENESS = ("complete", "incomplete", "not-a-micro-credential", "unreadable")
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def test_supported_languages() -> None:
    assert SUPPORTED_LANGUAGES == ("en", "fr", "ro", "de")


@pytest.mark.parametrize("key", sorted(messages()))
def test_every_key_has_all_four_languages(key: str) -> None:
    entry = messages()[key]
    assert set(entry) == set(SUPPORTED_LANGUAGES)
    for lang in SUPPORTED_LANGUAGES:
        assert entry[lang]
        assert entry[lang].strip() == entry[lang]


@pytest.mark.parametrize("key", sorted(messages()))
def test_placeholders_agree_across_languages(key: str) -> None:
    entry = messages()[key]
    expected = set(PLACEHOLDER.findall(entry["en"]))
    for lang in SUPPORTED_LANGUAGES:
        assert set(PLACEHOLDER.findall(entry[lang])) == expected, lang


def test_every_annex1_element_and_summary_key_has_a_title() -> None:
    for key in (*MANDATORY, *OPTIONAL, *SUMMARY_KEYS):
        assert key in messages(), key


def test_same_keys_as_the_cli_element_titles() -> None:
    from microcred.cli.describe import ELEMENT_TITLES

    for key in ELEMENT_TITLES:
        for lang in SUPPORTED_LANGUAGES:
            assert translate(key, lang)
    assert translate("supervision", "en") == "Supervision and ID verification"


def test_verification_words_are_there() -> None:
    keys = [f"check.{c}" for c in CHECKS] + [f"check.{c}.help" for c in CHECKS]
    keys += [f"outcome.{o}" for o in ("ok", "failed", "skipped")]
    keys += [f"verdict.{v}" for v in ("verified", "not-verified", "partially-verified")]
    keys += [f"status.{s}" for s in ("revoked", "suspended", "expired")]
    keys += [f"completeness.{c}" for c in COMPLETENESS]
    keys += [f"completeness.{c}.help" for c in COMPLETENESS]
    for key in keys:
        assert key in messages(), key


def test_translate_and_fallback() -> None:
    assert translate("title", "fr") == "Intitulé"
    assert translate("title", "fr-BE") == "Intitulé"
    assert translate("title", "ro") == "Titlu"
    assert translate("title", "de") == "Titel"
    assert translate("title", "pt") == "Title"
    assert translate("pdf.ects_value", "de", value="5") == "5 ECTS-Punkte"


def test_unknown_key_raises() -> None:
    with pytest.raises(KeyError):
        translate("no.such.key", "en")


def test_supported_and_negotiate() -> None:
    assert supported("RO_ro") == "ro"
    assert supported(None) == "en"
    assert negotiate("de-AT,de;q=0.9,en;q=0.5") == "de"
    assert negotiate("es, fr;q=0.4, ro;q=0.8") == "ro"
    assert negotiate("ro;q=0, fr;q=0.1") == "fr"
    assert negotiate("") == "en"
    assert negotiate("fr;q=abc") == "en"


def test_dates_and_numbers() -> None:
    assert format_date(date(2026, 6, 30), "en") == "30 June 2026"
    assert format_date(date(2026, 6, 1), "fr") == "1er juin 2026"
    assert format_date(date(2026, 3, 5), "de") == "5. März 2026"
    assert format_date(date(2026, 12, 31), "ro") == "31 decembrie 2026"
    assert format_number(Decimal("7.50"), "fr") == "7,5"
    assert format_number(Decimal("5"), "de") == "5"
    assert format_number(125.0, "en") == "125"
    assert format_number(Decimal("2.5"), "en") == "2.5"


def test_texts_are_picked_by_one_rule_language_then_english_then_the_first() -> None:
    texts = {"ro": "Alfabetizare", "en": "Literacy", "fr": "Littératie"}
    assert pick(texts, "fr") == "Littératie"
    assert pick(texts, "fr-BE") == "Littératie"
    assert pick(texts, "de") == "Literacy"
    assert pick_language(texts, "de") == "en"
    assert pick({"ro": "Alfabetizare", "fr": "Littératie"}, "de") == "Alfabetizare"
    assert pick({"en": "", "ro": "Alfabetizare"}, "en") == "Alfabetizare"
    assert pick({}, "en") is None
    assert pick(None, "en") is None
