"""The result of an evaluation: an outcome and, per node, what was used, refused and missing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any


class Outcome(StrEnum):
    SATISFIED = "satisfied"
    NOT_SATISFIED = "not-satisfied"
    NEEDS_PERSON = "needs-person"


@dataclass(frozen=True)
class Refusal:
    """A credential a node did not accept, and every reason why."""

    credential: str
    reasons: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"credential": self.credential, "reasons": list(self.reasons)}


@dataclass(frozen=True)
class NodeTrace:
    """One node of the rules: its outcome on its own, the credentials it counted in the
    result (``used``), those that meet it on its own (``met_by``, shown even when the whole
    is not met), those it refused with every reason, and what is missing (None when met)."""

    path: str
    kind: str
    description: str
    outcome: Outcome
    used: tuple[str, ...] = ()
    met_by: tuple[str, ...] = ()
    refused: tuple[Refusal, ...] = ()
    missing: str | None = None
    value: Decimal | None = None
    children: tuple[NodeTrace, ...] = ()

    def find(self, path: str) -> NodeTrace:
        """The trace of the node at ``path`` (KeyError when there is none)."""
        if self.path == path:
            return self
        for child in self.children:
            if path == child.path or path.startswith(f"{child.path}."):
                return child.find(path)
        raise KeyError(path)

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path, "kind": self.kind, "description": self.description,
            "outcome": str(self.outcome), "used": list(self.used),
            "met_by": list(self.met_by),
            "refused": [r.to_dict() for r in self.refused], "missing": self.missing,
            "value": None if self.value is None else str(self.value),
            "children": [c.to_dict() for c in self.children],
        }  # fmt: skip


@dataclass(frozen=True)
class Evaluation:
    """``evaluate``'s answer; ``consumed`` are the credentials counted towards the result;
    ``cut`` says the search hit its step budget (the outcome is then left to a person)."""

    rules_id: str
    rules_version: str
    evaluated_at: datetime
    outcome: Outcome
    trace: NodeTrace
    consumed: tuple[str, ...]
    cut: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "rules": {"id": self.rules_id, "version": self.rules_version},
            "evaluated_at": self.evaluated_at.isoformat(), "outcome": str(self.outcome),
            "consumed": list(self.consumed), "cut": self.cut, "trace": self.trace.to_dict(),
        }  # fmt: skip
