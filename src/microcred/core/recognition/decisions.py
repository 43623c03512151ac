"""What a recognition officer scores and decides.

Criteria follow the Nuffic Micro-evaluator (quality, level, workload, learning outcomes,
assessment, identity verification) plus relevance for the purpose; each is scored on a
four-step scale with a comment. Outcomes follow the Lisbon Recognition Convention's practice:
full, partial, alternative, conditional, or refused with the substantial differences stated.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from microcred.core.errors import InvalidCaseEvent

CRITERIA = (
    "quality", "level", "workload", "learning_outcomes", "assessment",
    "identity_verification", "relevance",
)  # fmt: skip
Score = Literal["strong", "substantial", "weak", "none"]
SCORES: tuple[Score, ...] = ("strong", "substantial", "weak", "none")


@dataclass(frozen=True)
class CriterionScore:
    """One criterion's score and the officer's comment (the comment is required)."""

    criterion: str
    score: Score
    comment: str

    def __post_init__(self) -> None:
        if self.criterion not in CRITERIA:
            raise InvalidCaseEvent(
                f"{self.criterion!r} is not a criterion; expected one of {', '.join(CRITERIA)}"
            )
        if self.score not in SCORES:
            raise InvalidCaseEvent(f"score {self.score!r} is not one of {', '.join(SCORES)}")
        if not self.comment.strip():
            raise InvalidCaseEvent(f"the score for {self.criterion} needs a comment")


def check_scores(scores: tuple[CriterionScore, ...]) -> None:
    """Every criterion scored exactly once."""
    seen = [s.criterion for s in scores]
    twice = sorted({c for c in seen if seen.count(c) > 1})
    if twice:
        raise InvalidCaseEvent(f"scored more than once: {', '.join(twice)}")
    missing = [c for c in CRITERIA if c not in seen]
    if missing:
        raise InvalidCaseEvent(f"criteria not scored: {', '.join(missing)}")


Outcome = Literal["full", "partial", "alternative", "conditional", "refused"]


@dataclass(frozen=True)
class Decision:
    """A recognition decision and what it grants or requires.

    * ``full``: recognised as presented;
    * ``partial``: ``ects_granted`` and/or ``outcomes_recognised`` (a subset);
    * ``alternative``: recognised as ``alternative`` (another purpose or level);
    * ``conditional``: recognised once ``remaining`` is done (compensatory measures);
    * ``refused``: ``substantial_differences`` stated, each one.
    """

    outcome: Outcome
    reasons: str
    ects_granted: Decimal | None = None
    outcomes_recognised: tuple[str, ...] = ()
    alternative: str | None = None
    remaining: str | None = None
    substantial_differences: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.reasons.strip():
            raise InvalidCaseEvent("a decision states its reasons")
        problem = _problem(self)
        if problem:
            raise InvalidCaseEvent(problem)


def _problem(decision: Decision) -> str | None:
    if decision.outcome == "partial":
        granted = decision.ects_granted is not None and decision.ects_granted > 0
        if not granted and not decision.outcomes_recognised:
            return "a partial recognition grants ECTS or recognises learning outcomes"
    elif decision.outcome == "alternative" and not (decision.alternative or "").strip():
        return "an alternative recognition says what the credential is recognised as"
    elif decision.outcome == "conditional" and not (decision.remaining or "").strip():
        return "a conditional recognition says what remains to be done"
    elif decision.outcome == "refused":
        if not [d for d in decision.substantial_differences if d.strip()]:
            return "a refusal states the substantial differences"
    elif decision.outcome not in ("full", "partial", "alternative", "conditional"):
        return f"{decision.outcome!r} is not a decision; expected full, partial, alternative, " \
               "conditional or refused"  # fmt: skip
    return None
