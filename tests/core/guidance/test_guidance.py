import pytest

from microcred.core.errors import InvalidGuidanceTarget
from microcred.core.esco import EscoData, EscoOccupation, EscoSkill, Relation, SkillLink
from microcred.core.guidance import (
    Candidate,
    Evidence,
    compute_gap,
    occupation_target,
    parse_target,
    rank_opportunities,
)
from microcred.core.search import SearchDocument
from microcred.core.search.query import Filters

S = "http://data.europa.eu/esco/skill/"
OCC = "http://data.europa.eu/esco/occupation/dev"
ESCO = EscoData(
    occupations={
        OCC: EscoOccupation(
            OCC,
            {"en": "developer"},
            skills=(
                SkillLink(f"{S}haskell", Relation.ESSENTIAL),
                SkillLink(f"{S}sql", Relation.ESSENTIAL),
                SkillLink(f"{S}git", Relation.OPTIONAL),
            ),
        )
    },
    skills={
        u: EscoSkill(u, {"en": u.rsplit("/", 1)[-1]})
        for u in (f"{S}haskell", f"{S}sql", f"{S}git", f"{S}programming")
    },
    broader={f"{S}haskell": (f"{S}programming",)},
)


def _doc(doc_id, skills, eqf=5, country="FR"):
    return SearchDocument(
        id=doc_id, texts={}, skills=tuple(f"{S}{s}" for s in skills), eqf=eqf, country=country
    )


def test_gap_counts_valid_evidence_and_a_broader_skill_partially():
    gap = compute_gap(
        occupation_target(ESCO, OCC),
        [Evidence("c1", (f"{S}programming",), eqf=4), Evidence("c2", (f"{S}git",))],
        ESCO,
    )
    covered = {s.uri.rsplit("/", 1)[-1]: s.covered for s in gap.skills}
    assert covered == {"haskell": 0.5, "sql": 0.0, "git": 1.0}
    assert gap.current_level == 4
    assert gap.missing_weight == pytest.approx(0.5 + 1.0)


def test_ranking_by_coverage_then_level_fit_with_hard_filters_and_reasons():
    gap = compute_gap(occupation_target(ESCO, OCC), [Evidence("c1", (), eqf=4)], ESCO)
    candidates = [
        Candidate(_doc("sql-7", ["sql"], eqf=7)),
        Candidate(_doc("sql-5", ["sql"])),
        Candidate(_doc("both", ["sql", "haskell"], eqf=6)),
        Candidate(_doc("none", ["cooking"])),
        Candidate(_doc("ro", ["sql", "haskell", "git"], country="RO")),
    ]
    ranked = rank_opportunities(gap, candidates, ESCO, filters=Filters(country=("FR",)))
    assert [s.document.id for s in ranked] == ["both", "sql-5", "sql-7"]
    assert ranked[0].coverage == pytest.approx(2 / 2.5)
    texts = [r.text("en") for r in ranked[1].reasons]
    assert texts[0] == "ranked 2: covers 40% of what you still miss"
    assert "teaches 1 of your 3 missing skills: sql" in texts
    assert "EQF level 5: the next step from your level 4" in texts
    assert ranked[1].reasons[-1].text("de").startswith("EQR-Niveau 5")


def test_targets_refuse_unknown_or_malformed_input():
    with pytest.raises(InvalidGuidanceTarget, match="not an ESCO occupation we know"):
        occupation_target(ESCO, "http://data.europa.eu/esco/occupation/nope")
    with pytest.raises(InvalidGuidanceTarget, match="either an occupation or skills"):
        parse_target({}, ESCO)
    with pytest.raises(InvalidGuidanceTarget, match="not an ESCO skill URI"):
        parse_target({"skills": "https://example.org/skill"}, ESCO)
    target = parse_target({"skills": f"{S}sql,{S}git,{S}sql"}, ESCO)
    assert [s.uri for s in target.skills] == [f"{S}sql", f"{S}git"]
