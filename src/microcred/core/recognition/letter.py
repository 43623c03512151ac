"""The decision letter's content, in the case's language (en, fr, ro or de; English otherwise).
Rendering it (PDF) is an adapter's job; this is what it says."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from microcred.core.errors import InvalidTransition
from microcred.core.recognition.case import Case
from microcred.core.recognition.decisions import Decision
from microcred.core.recognition.letter_texts import LANGUAGES, TEXTS


@dataclass(frozen=True)
class DecisionLetter:
    """Headings and paragraphs, in order; ``items`` are bulleted lists under ``decision``."""

    language: str
    subject: str
    reference: str
    date: date
    greeting: str
    paragraphs: tuple[str, ...]
    items: tuple[str, ...]
    reasons_heading: str
    reasons: str
    credentials_heading: str
    credentials: tuple[str, ...]
    appeal: str
    closing: str
    signatory: str


def letter_language(requested: str) -> str:
    """The letter's language: the case's when we have its texts, else English."""
    base = requested.split("-")[0].lower()
    return base if base in LANGUAGES else "en"


def outcome_title(decision: Decision, language: str) -> str:
    return TEXTS[letter_language(language)][f"{decision.outcome}_title"]


def _decision_text(decision: Decision, texts: Mapping[str, str]) -> tuple[str, tuple[str, ...]]:
    statement = texts[decision.outcome].format(alternative=decision.alternative or "",
                                               remaining=decision.remaining or "")  # fmt: skip
    if decision.outcome == "refused":
        return statement, decision.substantial_differences
    items = []
    if decision.outcome == "partial" and decision.ects_granted:
        items.append(texts["ects"].format(ects=format(decision.ects_granted.normalize(), "f")))
    if decision.outcome == "partial" and decision.outcomes_recognised:
        items.append(texts["outcomes"])
        items.extend(decision.outcomes_recognised)
    return statement, tuple(items)


def decision_letter(
    case: Case,
    *,
    applicant_name: str,
    authority_name: str,
    signatory: str,
    on: date,
    credential_titles: Mapping[str, str] | None = None,
) -> DecisionLetter:
    """The letter for the case's current decision (decided or issued)."""
    if case.decision is None:
        raise InvalidTransition(f"case {case.id} has no decision to write a letter for")
    decision = case.decision.decision
    language = letter_language(case.submission.language)
    texts = TEXTS[language]
    statement, items = _decision_text(decision, texts)
    titles = credential_titles or {}
    return DecisionLetter(
        language=language,
        subject=texts["subject"],
        reference=f"{texts['reference']}: {case.id}",
        date=on,
        greeting=texts["greeting"].format(name=applicant_name),
        paragraphs=(texts["intro"].format(purpose=case.submission.purpose), statement),
        items=items,
        reasons_heading=texts["reasons"],
        reasons=decision.reasons,
        credentials_heading=texts["credentials"],
        credentials=tuple(titles.get(key, key) for key in case.submission.credentials),
        appeal=texts["appeal"].format(authority=authority_name),
        closing=texts["closing"],
        signatory=signatory,
    )
