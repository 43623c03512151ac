"""The search for an allocation of credentials to the rules' leaves.

Without double counting a credential serves one leaf only, so meeting the rules is a packing
problem: the solver backtracks over each leaf's candidate credentials, in a canonical order
(credentials wanted by the fewest leaves first, then by key), so the result never depends on
the order credentials were given in. Leaves pick the fewest credentials that meet them, which
keeps the search complete: when some allocation meets the rules, one is found (within a step
budget; past it the outcome is left to a person).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from itertools import combinations

from microcred.core.stacking.credit import Credit, aggregate_value, credit_of, meets
from microcred.core.stacking.held import HeldCredential
from microcred.core.stacking.predicates import (
    Context,
    coverage_met,
    covered,
    refusals,
    skills_of,
)
from microcred.core.stacking.rules import (
    Aggregate,
    AllOf,
    AnyOf,
    CredentialComponent,
    KOfN,
    ManualCheck,
    Node,
    Not,
    RuleSet,
    SkillSetComponent,
    child_paths,
    walk,
)

STEP_BUDGET = 50_000  # past it, a person decides (Evaluation.cut)
_Enough = Callable[[tuple[str, ...]], bool]


class SearchCut(Exception):
    """The step budget ran out before the search could conclude."""


@dataclass(frozen=True)
class State:
    """A partial allocation: credentials consumed, external ECTS counted, manual checks left
    to a person, the credentials each leaf picked and each aggregate's value."""

    consumed: frozenset[str] = frozenset()
    external: Decimal = Decimal(0)
    pending: tuple[str, ...] = ()
    picks: tuple[tuple[str, tuple[str, ...]], ...] = ()
    values: tuple[tuple[str, Decimal | None], ...] = ()


@dataclass(frozen=True)
class Best:
    """The best allocation found for a node: fully met, else met pending a person."""

    full: State | None
    pending: State | None
    cut: bool = False

    @property
    def state(self) -> State | None:
        return self.full or self.pending


class Solver:
    """Solutions of a rule set's nodes over one set of credentials at one moment."""

    def __init__(self, rules: RuleSet, held: Sequence[HeldCredential], ctx: Context) -> None:
        self.rules = rules
        self.ctx = ctx
        self.by_key = {h.key: h for h in held}
        self.credit: dict[str, Credit] = {h.key: credit_of(h, rules.options) for h in held}
        self.refused: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {}
        self.eligible: dict[str, tuple[str, ...]] = {}
        for path, node in walk(rules.root):
            where = getattr(node, "where", None)
            if where is not None:
                verdicts = [(h.key, refusals(where, h, ctx)) for h in held]
                self.eligible[path] = tuple(k for k, reasons in verdicts if not reasons)
                self.refused[path] = tuple(sorted((k, r) for k, r in verdicts if r))
        admits = {h.key: tuple(p for p, keys in self.eligible.items() if h.key in keys)
                  for h in held}  # fmt: skip
        # Credentials alike in every respect the rules can see are interchangeable: the search
        # tries one of a kind where it would try each (see _reaching_sets).
        self.kind = {h.key: (str(self.credit[h.key].ects), str(self.credit[h.key].hours),
                             self.credit[h.key].external, admits[h.key],
                             tuple(sorted(skills_of(h.credential)))) for h in held}  # fmt: skip
        for path, keys in self.eligible.items():
            order = sorted(keys, key=lambda k: (len(admits[k]), self.kind[k], k))
            self.eligible[path] = tuple(order)
        self.dead: set[tuple[str, frozenset[str], Decimal]] = set()
        self.feasible: dict[str, bool] = {}
        self.steps = 0
        self.limit = STEP_BUDGET

    def best(self, node: Node, path: str, state: State | None = None) -> Best:
        """The first fully met allocation of ``node``, else the first pending a person."""
        self.steps, pending = 0, None
        try:
            for found in self.solve(node, path, state or State()):
                if not found.pending:
                    return Best(found, pending)
                pending = pending or found
        except SearchCut:
            return Best(None, pending, cut=True)
        return Best(None, pending)

    def _tick(self) -> None:
        self.steps += 1
        if self.steps > self.limit:
            raise SearchCut

    def available(self, path: str, state: State) -> list[str]:
        keys = self.eligible[path]
        if not self.rules.options.no_double_counting:
            return list(keys)
        return [k for k in keys if k not in state.consumed]

    def solve(self, node: Node, path: str, state: State) -> Iterator[State]:
        """Every allocation of ``node`` extending ``state`` (failures are remembered)."""
        memo = (path, state.consumed, state.external)
        if memo in self.dead:
            return
        found = False
        for result in self._solve(node, path, state):
            found = True
            yield result
        if not found:
            self.dead.add(memo)

    def _solve(self, node: Node, path: str, state: State) -> Iterator[State]:
        self._tick()
        parts = child_paths(node, path)
        if isinstance(node, AllOf):
            yield from self._all(parts, state)
        elif isinstance(node, AnyOf):
            for child_path, child in parts:
                yield from self.solve(child, child_path, state)
        elif isinstance(node, KOfN):
            viable = [(p, child) for p, child in parts if self.possible(child, p)]
            for chosen in combinations(viable, node.k):
                yield from self._chain(list(chosen), state)
        elif isinstance(node, Not):
            yield from self._not(node, path, state)
        elif isinstance(node, ManualCheck):
            yield replace(state, pending=(*state.pending, path))
        elif isinstance(node, CredentialComponent):
            for key in self.available(path, state):
                yield self._pick(path, (key,), state)
        elif isinstance(node, SkillSetComponent):
            yield from self._skills(node, path, state)
        else:
            yield from self._aggregate(node, path, state)

    def possible(self, node: Node, path: str) -> bool:
        """Whether ``node`` has any allocation with every credential available (cached). Fewer
        credentials never make a node easier, so an impossible node prunes its siblings."""
        if path not in self.feasible:
            self.feasible[path] = next(iter(self.solve(node, path, State())), None) is not None
        return self.feasible[path]

    def _all(self, parts: list[tuple[str, Node]], state: State) -> Iterator[State]:
        if not all(self.possible(child, child_path) for child_path, child in parts):
            return
        yield from self._chain(parts, state)

    def _chain(self, parts: list[tuple[str, Node]], state: State) -> Iterator[State]:
        if not parts:
            yield state
            return
        (first_path, first), rest = parts[0], parts[1:]
        for partial in self.solve(first, first_path, state):
            yield from self._chain(rest, partial)

    def _not(self, node: Not, path: str, state: State) -> Iterator[State]:
        """Met when the excluded condition cannot be met with any valid credential."""
        saved = self.steps
        inner = self.best(node.child, f"{path}.child")
        self.steps = saved + self.steps
        if inner.full is None and (inner.pending is not None or inner.cut):
            yield replace(state, pending=(*state.pending, path))
        elif inner.full is None:
            yield state

    def _pick(
        self, path: str, keys: tuple[str, ...], state: State, *, external: Decimal = Decimal(0)
    ) -> State:
        consumed = state.consumed | set(keys)
        return replace(state, consumed=consumed, external=state.external + external,
                       picks=(*state.picks, (path, keys)))  # fmt: skip

    def _skills(self, node: SkillSetComponent, path: str, state: State) -> Iterator[State]:
        esco = self.ctx.esco
        offers = {k: covered(node.skills, skills_of(self.by_key[k].credential), esco)
                  for k in self.available(path, state)}  # fmt: skip
        useful = [k for k, skills in offers.items() if skills]

        def enough(keys: tuple[str, ...]) -> bool:
            union = set().union(*(offers[k] for k in keys))
            return coverage_met(node.skills, len(union), node.coverage)

        for keys in self._minimal_sets(useful, enough, 1):
            yield self._pick(path, keys, state)

    def _aggregate(self, node: Aggregate, path: str, state: State) -> Iterator[State]:
        cap = self.rules.options.external_credit_cap
        room = None if cap is None else cap - state.external
        if not node.selects:
            value, _ = aggregate_value(node, (self.credit[k] for k in self.eligible[path]), room)
            if meets(node, value):
                yield replace(state, values=(*state.values, (path, value)))
            return

        def enough(keys: tuple[str, ...]) -> bool:
            value, _ = aggregate_value(node, (self.credit[k] for k in keys), room)
            return meets(node, value)

        def weakest(keys: tuple[str, ...]) -> list[int]:
            """The removals to try: the smallest credit from home and from outside (removing
            any other one leaves at least as much)."""
            found: dict[bool, int] = {}
            for i, key in enumerate(keys):
                side = self.credit[key].external
                if side not in found or self._measure(node, key) < self._measure(
                    node, keys[found[side]]
                ):
                    found[side] = i
            return sorted(found.values())

        candidates = self.available(path, state)
        for keys in self._reaching_sets(candidates, enough, weakest):
            value, external = aggregate_value(node, (self.credit[k] for k in keys), room)
            picked = self._pick(path, keys, state, external=external)
            yield replace(picked, values=(*picked.values, (path, value)))

    def _reaching_sets(
        self, keys: list[str], enough: _Enough, removals: Callable[[tuple[str, ...]], list[int]]
    ) -> Iterator[tuple[str, ...]]:
        """Every minimal set of ``keys`` that is enough, depth first (take a key, then leave
        it), never going down a branch that all the keys left could not make enough. A set that
        is enough with some to spare is trimmed to a minimal one at once (each yielded once)."""
        given: set[tuple[str, ...]] = set()

        def dive(start: int, chosen: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
            self._tick()
            if enough(chosen):
                trimmed = self._trim(chosen, enough, removals)
                if trimmed not in given:
                    given.add(trimmed)
                    yield trimmed
                return
            if start == len(keys) or not enough(chosen + tuple(keys[start:])):
                return
            yield from dive(start + 1, (*chosen, keys[start]))
            after = start + 1  # leaving this key out leaves out the alike ones after it too
            while after < len(keys) and self.kind[keys[after]] == self.kind[keys[start]]:
                after += 1
            yield from dive(after, chosen)

        yield from dive(0, ())

    def _trim(
        self,
        chosen: tuple[str, ...],
        enough: _Enough,
        removals: Callable[[tuple[str, ...]], list[int]],
    ) -> tuple[str, ...]:
        """``chosen`` without the members it can spare (the weakest first), still enough."""
        while True:
            spare = next((i for i in removals(chosen)
                          if enough(chosen[:i] + chosen[i + 1 :])), None)  # fmt: skip
            if spare is None:
                return chosen
            self._tick()
            chosen = chosen[:spare] + chosen[spare + 1 :]

    def _measure(self, node: Aggregate, key: str) -> Decimal:
        credit = self.credit[key]
        return credit.ects if node.measure == "ects" else credit.hours

    def _minimal_sets(
        self,
        keys: list[str],
        enough: _Enough,
        smallest: int,
        removals: Callable[[tuple[str, ...]], list[int]] | None = None,
    ) -> Iterator[tuple[str, ...]]:
        """Sets of ``keys`` that are enough and have no smaller subset that is, smallest first.

        ``removals`` names the members whose removal decides minimality (all by default)."""
        for size in range(max(smallest, 1), len(keys) + 1):
            for chosen in combinations(keys, size):
                self._tick()
                tried = removals(chosen) if removals else range(size)
                if enough(chosen) and all(not enough(chosen[:i] + chosen[i + 1 :]) for i in tried):
                    yield chosen
