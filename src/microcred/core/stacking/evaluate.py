"""``evaluate(rules, credentials, now)``: satisfied, not satisfied or needs a person, with a
per-node trace.

The outcome is the root's: satisfied when some allocation of credentials meets the rules (one
credential per leaf without double counting), needs a person when one does pending manual
checks, not satisfied otherwise. Each node's trace gives its outcome on its own, the credentials
it counted in the result, the credentials it refused with every reason, and what is missing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from itertools import pairwise

from microcred.core.errors import InvalidCredential
from microcred.core.esco import EscoData, packaged_esco
from microcred.core.stacking.credit import aggregate_value
from microcred.core.stacking.describe import describe, kind_of
from microcred.core.stacking.held import HeldCredential
from microcred.core.stacking.predicates import Context, covered, skills_of
from microcred.core.stacking.rules import (
    Aggregate,
    AllOf,
    AnyOf,
    KOfN,
    ManualCheck,
    Node,
    Not,
    RuleSet,
    SkillSetComponent,
    child_paths,
    walk,
)
from microcred.core.stacking.search import Best, Solver, State
from microcred.core.stacking.trace import Evaluation, NodeTrace, Outcome, Refusal


def outcome_of(best: Best) -> Outcome:
    if best.full is not None:
        return Outcome.SATISFIED
    if best.pending is not None or best.cut:
        return Outcome.NEEDS_PERSON
    return Outcome.NOT_SATISFIED


def evaluate(
    rules: RuleSet,
    credentials: Iterable[HeldCredential],
    now: datetime,
    *,
    esco: EscoData | None = None,
) -> Evaluation:
    """Evaluate ``rules`` over ``credentials`` at ``now`` (timezone-aware)."""
    if now.tzinfo is None:
        raise ValueError("now needs a time zone")
    held = sorted(credentials, key=lambda h: h.key)
    for first, second in pairwise(held):
        if first.key == second.key:
            raise InvalidCredential(f"two credentials share the key {first.key!r}")
    solver = Solver(rules, held, Context(now, esco or packaged_esco()))
    best = solver.best(rules.root, "root")
    chosen = best.state
    builder = _TraceBuilder(solver, chosen)
    trace = builder.node(rules.root, "root", best)
    consumed = sorted({key for _, keys in chosen.picks for key in keys}) if chosen else []
    return Evaluation(rules.id, rules.version, now, outcome_of(best), trace, tuple(consumed),
                      best.cut)  # fmt: skip


def _keys_under(state: State | None, path: str) -> tuple[str, ...]:
    """The credentials ``state`` allocates to the node at ``path`` and its descendants."""
    if state is None:
        return ()
    inside = (keys for p, keys in state.picks if p == path or p.startswith(f"{path}."))
    return tuple(sorted({key for keys in inside for key in keys}))


class _TraceBuilder:
    def __init__(self, solver: Solver, chosen: State | None) -> None:
        self.solver = solver
        self.chosen = chosen
        self.nodes = dict(walk(solver.rules.root))

    def node(self, node: Node, path: str, best: Best | None = None) -> NodeTrace:
        alone = best or self.solver.best(node, path)
        values = dict(self.chosen.values) if self.chosen else {}
        children = tuple(self.node(child, child_path) for child_path, child in
                         child_paths(node, path))  # fmt: skip
        outcome = outcome_of(alone)
        refused = tuple(Refusal(k, r) for k, r in self.solver.refused.get(path, ()))
        value = values.get(path) if path in values else self._value(node, path)
        return NodeTrace(
            path=path, kind=kind_of(node), description=describe(node), outcome=outcome,
            used=_keys_under(self.chosen, path), met_by=_keys_under(alone.state, path),
            refused=refused, value=value, children=children,
            missing=None if outcome is Outcome.SATISFIED else self._missing(node, path, children,
                                                                             alone, value),
        )  # fmt: skip

    def _value(self, node: Node, path: str) -> Decimal | None:
        if not isinstance(node, Aggregate):
            return None
        cap = self.solver.rules.options.external_credit_cap
        credits = (self.solver.credit[k] for k in self.solver.eligible[path])
        return aggregate_value(node, credits, cap)[0]

    def _missing(
        self, node: Node, path: str, children: tuple[NodeTrace, ...], alone: Best,
        value: Decimal | None,
    ) -> str:  # fmt: skip
        if alone.cut:
            return "the search for an allocation was cut short: a person must check"
        if alone.pending is not None and not isinstance(node, ManualCheck | Not):
            waiting = [describe(self.nodes[p]) for p in alone.pending.pending]
            return f"met once a person confirms: {'; '.join(waiting)}"
        met = sum(child.outcome is Outcome.SATISFIED for child in children)
        if isinstance(node, AllOf):
            return f"{met} of the {len(children)} parts met"
        if isinstance(node, AnyOf):
            return f"none of the {len(children)} alternatives met"
        if isinstance(node, KOfN):
            return f"{met} of the {node.k} parts needed met (out of {len(children)})"
        if isinstance(node, Not):
            return "the excluded condition is met" if alone.pending is None else \
                "a person must confirm the excluded condition is not met"  # fmt: skip
        if isinstance(node, ManualCheck):
            return f"a person must confirm: {describe(node)}"
        if isinstance(node, SkillSetComponent):
            return self._skills_missing(node, path)
        if isinstance(node, Aggregate):
            shown = "nothing" if value is None else str(value)
            return f"{node.function} of {node.measure} is {shown}; needs {node.comparison} " \
                   f"{node.value}"  # fmt: skip
        return "no valid credential meets it"

    def _skills_missing(self, node: SkillSetComponent, path: str) -> str:
        solver = self.solver
        have = [s for k in solver.eligible[path] for s in skills_of(solver.by_key[k].credential)]
        done = covered(node.skills, have, solver.ctx.esco)
        left = [s for s in node.skills if s not in done]
        labels = []
        for uri in left:
            skill = solver.ctx.esco.skill(uri)
            labels.append(skill.label("en") if skill else uri)
        return f"{len(done)} of {len(node.skills)} skills covered; missing: {', '.join(labels)}"
