"""Stacking: rules as data for a larger credential, and ``evaluate`` with a per-node trace.

    rules = parse_rules(json.loads(text))            # InvalidStackingRules names the problem
    result = evaluate(rules, held_credentials, now)  # Evaluation: outcome, trace, consumed

See ``docs/pathways.md``.
"""

from __future__ import annotations

from microcred.core.stacking.evaluate import evaluate
from microcred.core.stacking.held import HeldCredential
from microcred.core.stacking.parse import load_rules, parse_rules
from microcred.core.stacking.rules import RuleSet, is_monotone
from microcred.core.stacking.trace import Evaluation, NodeTrace, Outcome, Refusal

__all__ = [
    "Evaluation",
    "HeldCredential",
    "NodeTrace",
    "Outcome",
    "Refusal",
    "RuleSet",
    "evaluate",
    "is_monotone",
    "load_rules",
    "parse_rules",
]
