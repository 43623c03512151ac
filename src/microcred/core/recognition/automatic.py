"""Automatic recognition: a competent authority declares the provider / quality-assurance
combinations it accepts; a case whose credentials all fall under one gets a proposed decision,
which a person confirms (or not)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from microcred.core.recognition.decisions import Decision
from microcred.core.recognition.facts import CredentialFacts


@dataclass(frozen=True)
class AutomaticRule:
    """Credentials from ``providers`` (or from any provider when empty) with quality assurance
    of one of ``qa_types``, valid at the date of issue when ``qa_valid_at_issue``, are
    recognised as ``decision`` says (usually in full)."""

    id: str
    authority: str
    qa_types: tuple[str, ...]
    decision: Decision
    providers: tuple[str, ...] = ()
    qa_valid_at_issue: bool = True

    def covers(self, facts: CredentialFacts) -> bool:
        if self.providers and not set(facts.providers) & set(self.providers):
            return False
        if not set(facts.qa_types) & set(self.qa_types):
            return False
        return not self.qa_valid_at_issue or facts.qa_valid_at_issue is True


def propose(
    rules: Sequence[AutomaticRule], authority: str, facts: Sequence[CredentialFacts]
) -> tuple[AutomaticRule, Decision] | None:
    """The first of ``authority``'s rules that covers every credential, with its decision."""
    if not facts:
        return None
    for rule in rules:
        if rule.authority == authority and all(rule.covers(f) for f in facts):
            return rule, rule.decision
    return None
