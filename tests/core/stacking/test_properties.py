"""Invariants of the stacking engine over random rules and credentials (hypothesis)."""

from __future__ import annotations

from decimal import Decimal
from itertools import permutations
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from microcred.core.errors import InvalidStackingRules
from microcred.core.esco import packaged_esco
from microcred.core.stacking import (
    Evaluation,
    HeldCredential,
    NodeTrace,
    Outcome,
    RuleSet,
    evaluate,
    is_monotone,
    parse_rules,
)
from microcred.core.stacking.predicates import Context, refusals
from tests.core.stacking.builders import (
    BIG_DATA,
    HOME,
    NOW,
    OTHER,
    PROGRAMMING,
    STATISTICS,
    credential,
    ects_total,
    rules,
)

SKILLS = (PROGRAMMING, BIG_DATA, STATISTICS)
FIELDS = ("0613", "0411", "0533")
SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])  # fmt: skip


@st.composite
def held_credentials(draw: st.DrawFn, key: str) -> HeldCredential:
    return credential(
        key,
        ects=draw(st.integers(1, 10)),
        eqf=draw(st.integers(4, 7)),
        isced=draw(st.sampled_from(FIELDS)),
        provider=draw(st.sampled_from((HOME, OTHER))),
        skills=tuple(draw(st.lists(st.sampled_from(SKILLS), max_size=2, unique=True))),
        status=draw(st.sampled_from(("active", "active", "active", "revoked", "suspended"))),
    )


def credential_sets(min_size: int = 0) -> st.SearchStrategy[list[HeldCredential]]:
    size = st.integers(min_size, 6)
    return size.flatmap(lambda n: st.tuples(*(held_credentials(f"c{i}") for i in range(n))))\
        .map(list)  # fmt: skip


def filters() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({}, optional={
        "eqf_min": st.integers(4, 7),
        "isced": st.lists(st.sampled_from(["06", "04", "0533"]), min_size=1, max_size=2),
        "providers": st.just([HOME]),
    })  # fmt: skip


def leaves() -> st.SearchStrategy[dict[str, Any]]:
    component = filters().map(lambda w: {"type": "component", "where": w})
    skills = st.lists(st.sampled_from(SKILLS), min_size=1, max_size=3, unique=True).map(
        lambda s: {"type": "component", "skills": s})  # fmt: skip
    total = st.builds(
        lambda v, w, f: {
            "type": "aggregate",
            "function": f,
            "measure": "ects",
            "comparison": ">=",
            "value": v,
            "where": w,
        },
        st.integers(1, 20),
        filters(),
        st.sampled_from(["sum", "count", "max"]),
    )
    return st.one_of(component, skills, total)


def trees(negation: bool) -> st.SearchStrategy[dict[str, Any]]:
    def extend(inner: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
        kids = st.lists(inner, min_size=1, max_size=3)
        options = [
            kids.map(lambda c: {"type": "all_of", "children": c}),
            kids.map(lambda c: {"type": "any_of", "children": c}),
            kids.flatmap(lambda c: st.integers(1, len(c)).map(
                lambda k: {"type": "k_of_n", "k": k, "children": c})),
        ]  # fmt: skip
        if negation:
            options.append(inner.map(lambda c: {"type": "not", "child": c}))
        return st.one_of(*options)

    return st.recursive(leaves(), extend, max_leaves=5)


def _parsed(root: dict[str, Any], options: dict[str, Any]) -> RuleSet | None:
    try:
        return parse_rules(rules(root, **options))
    except InvalidStackingRules:  # an aggregate the caps make impossible
        return None


def rule_sets(negation: bool = False) -> st.SearchStrategy[Any]:
    options = st.fixed_dictionaries({"no_double_counting": st.booleans()}, optional={
        "external_credit_cap": st.sampled_from([0, 5, 15]),
        "ects_cap_per_credential": st.sampled_from([4, 8]),
    })  # fmt: skip
    built = st.builds(_parsed, trees(negation), options)
    return built.filter(lambda found: found is not None)


def leaves_of(trace: NodeTrace) -> list[NodeTrace]:
    if not trace.children:
        return [trace]
    return [leaf for child in trace.children for leaf in leaves_of(child)]


@SETTINGS
@given(rule_sets(negation=True), credential_sets(), st.randoms(use_true_random=False))
def test_the_order_of_credentials_never_changes_the_evaluation(
    ruleset: Any, held: list[HeldCredential], random: Any
) -> None:
    shuffled = list(held)
    random.shuffle(shuffled)
    assert evaluate(ruleset, held, NOW) == evaluate(ruleset, shuffled, NOW)


@SETTINGS
@given(rule_sets(), credential_sets(), held_credentials("extra"))
def test_adding_a_credential_never_undoes_monotone_rules(
    ruleset: Any, held: list[HeldCredential], extra: HeldCredential
) -> None:
    assert is_monotone(ruleset)
    before = evaluate(ruleset, held, NOW)
    after = evaluate(ruleset, [*held, extra], NOW)
    if before.outcome is Outcome.SATISFIED:
        assert after.outcome is Outcome.SATISFIED


def _used_by_leaves(result: Evaluation) -> list[str]:
    return [key for leaf in leaves_of(result.trace) for key in leaf.used]


@SETTINGS
@given(rule_sets(negation=True), credential_sets())
def test_no_credential_is_counted_twice(ruleset: Any, held: list[HeldCredential]) -> None:
    result = evaluate(ruleset, held, NOW)
    used = _used_by_leaves(result)
    assert sorted(set(used)) == list(result.consumed)
    if ruleset.options.no_double_counting:
        assert len(used) == len(set(used))


@SETTINGS
@given(rule_sets(negation=True), credential_sets(min_size=1))
def test_a_revoked_or_suspended_credential_never_counts(
    ruleset: Any, held: list[HeldCredential]
) -> None:
    result = evaluate(ruleset, held, NOW)
    out_of_force = {h.key for h in held if h.status != "active"}
    assert not out_of_force & set(result.consumed)
    for leaf in leaves_of(result.trace):
        refused = {r.credential for r in leaf.refused}
        assert not set(leaf.used) & refused


@SETTINGS
@given(credential_sets(), st.integers(1, 40), st.sampled_from([None, 0, 5, 15]),
       st.sampled_from([None, 4, 8]))  # fmt: skip
def test_an_ects_total_is_met_exactly_when_the_capped_credit_reaches_it(
    held: list[HeldCredential], target: int, external_cap: int | None, each_cap: int | None
) -> None:
    options: dict[str, Any] = {"external_credit_cap": external_cap,
                               "ects_cap_per_credential": each_cap}  # fmt: skip
    ruleset = _parsed(ects_total(target), {k: v for k, v in options.items() if v is not None})
    assert ruleset is not None
    home, outside = Decimal(0), Decimal(0)
    for h in held:
        if h.status == "active":
            ects = h.credential.workload.ects if h.credential.workload else None
            ects = min(ects or Decimal(0), Decimal(each_cap)) if each_cap else ects or Decimal(0)
            home, outside = (home + ects, outside) if HOME in h.provider_ids else (
                home, outside + ects)  # fmt: skip
    reachable = home + (outside if external_cap is None else min(outside, external_cap))
    result = evaluate(ruleset, held, NOW)
    assert (result.outcome is Outcome.SATISFIED) == (reachable >= target)


@SETTINGS
@given(st.lists(filters(), min_size=1, max_size=4), credential_sets())
def test_distinct_components_are_met_exactly_when_each_can_have_its_own_credential(
    wheres: list[dict[str, Any]], held: list[HeldCredential]
) -> None:
    ruleset = parse_rules(rules({"type": "all_of", "children": [
        {"type": "component", "where": where} for where in wheres]}))  # fmt: skip
    leaves = [node.where for node in ruleset.root.children]  # type: ignore[union-attr]
    context = Context(NOW, packaged_esco())
    fits = [{h.key for h in held if not refusals(where, h, context)} for where in leaves]
    keys = [h.key for h in held]
    brute = any(
        all(key in fit for key, fit in zip(chosen, fits, strict=True))
        for chosen in permutations(keys, len(fits))
    )
    assert (evaluate(ruleset, held, NOW).outcome is Outcome.SATISFIED) == brute
