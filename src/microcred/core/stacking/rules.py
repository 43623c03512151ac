"""Stacking rules as data: a versioned tree of nodes over filters of credentials.

A :class:`RuleSet` is what a receiving organisation publishes for a larger credential. Its
``root`` is a tree of :data:`Node` (``all_of``, ``any_of``, ``k_of_n``, ``not``, the three kinds
of component, ``aggregate``); leaves select credentials with a :class:`Filter`, a conjunction of
predicates. Build rule sets with :func:`microcred.core.stacking.parse.parse_rules`, which checks
every concept and reference.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

Comparison = Literal[">=", ">", "==", "<=", "<"]
COMPARISONS: tuple[Comparison, ...] = (">=", ">", "==", "<=", "<")
UPWARD: frozenset[str] = frozenset({">=", ">"})
Function = Literal["sum", "count", "min", "max"]
Measure = Literal["ects", "hours"]
# The provider kinds the Council Recommendation names (as the provider register records them).
PROVIDER_TYPES = (
    "higher-education", "vet", "adult-education", "company", "social-partner",
    "public-employment-service", "ngo", "public-authority", "other",
)  # fmt: skip


@dataclass(frozen=True)
class GradeThreshold:
    """A minimum grade in a grading scheme.

    ``scale`` lists the scheme's passing grades best first (``A`` .. ``E``); without it grades
    are numbers and higher is better. ``scheme`` (optional) must match the credential's grading
    scheme name in one of its languages, so a 7 out of 10 is never read as a 7 out of 20.
    """

    at_least: str
    scale: tuple[str, ...] = ()
    scheme: str | None = None


@dataclass(frozen=True)
class Filter:
    """Predicates a credential must all meet (an empty filter admits every valid credential).

    Concept values are official URIs (EQF, QF-EHEA, ISCED-F, country, QA type, assessment,
    supervision); ``isced_prefixes`` are ISCED-F codes (``06`` admits ``0613``).
    """

    eqf_min: int | None = None
    eqf_max: int | None = None
    qf_ehea: tuple[str, ...] = ()
    isced_prefixes: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()
    skill_coverage: Decimal = Decimal(1)
    providers: tuple[str, ...] = ()
    provider_types: tuple[str, ...] = ()
    provider_countries: tuple[str, ...] = ()
    qa_types: tuple[str, ...] = ()
    qa_valid_at_issue: bool = False
    assessment_types: tuple[str, ...] = ()
    supervision_at_least: str | None = None
    grade: GradeThreshold | None = None
    issued_within_years: int | None = None
    opportunities: tuple[str, ...] = ()
    credential_types: tuple[str, ...] = ()


@dataclass(frozen=True)
class AllOf:
    children: tuple[Node, ...]
    label: str | None = None


@dataclass(frozen=True)
class AnyOf:
    children: tuple[Node, ...]
    label: str | None = None


@dataclass(frozen=True)
class KOfN:
    k: int
    children: tuple[Node, ...]
    label: str | None = None


@dataclass(frozen=True)
class Not:
    child: Node
    label: str | None = None


@dataclass(frozen=True)
class CredentialComponent:
    """One credential meeting ``where`` (a named opportunity, a credential type, any filter)."""

    where: Filter
    label: str | None = None


@dataclass(frozen=True)
class SkillSetComponent:
    """Credentials (meeting ``where``) whose outcomes together cover ``coverage`` of ``skills``."""

    skills: tuple[str, ...]
    coverage: Decimal = Decimal(1)
    where: Filter = field(default_factory=Filter)
    label: str | None = None


@dataclass(frozen=True)
class ManualCheck:
    """A check only a person can make (an interview, a portfolio review)."""

    description: dict[str, str]
    label: str | None = None


@dataclass(frozen=True)
class Aggregate:
    """``function`` of ``measure`` over credentials meeting ``where``, compared to ``value``.

    With ``>=`` or ``>``, ``sum``/``count``/``max`` pick the fewest credentials that meet it
    (they count towards this node only); other comparisons, and ``min``, are constraints over
    every credential that meets ``where`` and consume none.
    """

    function: Function
    comparison: Comparison
    value: Decimal
    measure: Measure = "ects"
    where: Filter = field(default_factory=Filter)
    label: str | None = None

    @property
    def selects(self) -> bool:
        """Whether it picks credentials (an upward sum, count or max) rather than constrains."""
        return self.comparison in UPWARD and self.function != "min"


Node = (
    AllOf | AnyOf | KOfN | Not | CredentialComponent | SkillSetComponent | ManualCheck | Aggregate
)
LEAVES = (CredentialComponent, SkillSetComponent, ManualCheck, Aggregate)


@dataclass(frozen=True)
class Options:
    """How credit is counted.

    ``home_providers``: ids of the receiving organisation; credentials from anyone else are
    external, and ``external_credit_cap`` bounds the ECTS they bring to aggregates.
    ``ects_cap_per_credential`` bounds what any one credential brings.
    """

    no_double_counting: bool = True
    external_credit_cap: Decimal | None = None
    ects_cap_per_credential: Decimal | None = None
    home_providers: tuple[str, ...] = ()


@dataclass(frozen=True)
class RuleSet:
    """A published, versioned set of stacking rules for one larger credential."""

    id: str
    version: str
    title: dict[str, str]
    root: Node
    options: Options = field(default_factory=Options)


def children(node: Node) -> tuple[Node, ...]:
    """The direct children of a node (none for a leaf)."""
    if isinstance(node, AllOf | AnyOf | KOfN):
        return node.children
    if isinstance(node, Not):
        return (node.child,)
    return ()


def child_paths(node: Node, path: str) -> list[tuple[str, Node]]:
    """The direct children with their paths, as in the rules' JSON (``root.children[0]``)."""
    if isinstance(node, Not):
        return [(f"{path}.child", node.child)]
    return [(f"{path}.children[{i}]", child) for i, child in enumerate(children(node))]


def walk(node: Node, path: str = "root") -> list[tuple[str, Node]]:
    """Every node with its path (``root``, ``root.children[0]`` ...), parents first."""
    found = [(path, node)]
    for child_path, child in child_paths(node, path):
        found.extend(walk(child, child_path))
    return found


def is_monotone(rules: RuleSet) -> bool:
    """True when adding a credential can never undo a satisfied outcome: no ``not`` and no
    constraint aggregate."""
    for _, node in walk(rules.root):
        if isinstance(node, Not) or (isinstance(node, Aggregate) and not node.selects):
            return False
    return True
