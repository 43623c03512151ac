"""Validation of non-formal and informal learning: the four stages, evidence limits, and the
micro-credential that certifies only what was assessed as met."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microcred.core.annex1 import check
from microcred.core.coding import concept
from microcred.core.errors import EvidenceRejected, InvalidCaseEvent, InvalidTransition
from microcred.core.model import Learner, Level, Organisation, Place, QualityAssurance, Workload
from microcred.core.validation import (
    FINAL,
    Assessed,
    Certified,
    ClaimedOutcome,
    Closed,
    Documented,
    Evidence,
    EvidencePolicy,
    Identified,
    OutcomeResult,
    Stage,
    apply,
    certificate_model,
    check_evidence,
    open_validation,
    replay,
)
from tests.core.stacking.builders import PROGRAMME_QA, PROGRAMMING, ROMANIA

T0 = datetime(2026, 4, 1, 9, tzinfo=UTC)
ASSESSOR = "assessor@vet.example"
PORTFOLIO = "http://data.europa.eu/snb/assessment/4f03b91c0e"
POLICY = EvidencePolicy(max_bytes=1_000_000, max_files=3)
DIGEST = "ab" * 32
CLAIMS = (
    ClaimedOutcome("lo-1", {"en": "Write small Python programs"}, skills=(PROGRAMMING,)),
    ClaimedOutcome("lo-2", {"en": "Design a relational database"}),
)


def at(hours: int) -> datetime:
    return T0 + timedelta(hours=hours)


def pdf(name: str = "portfolio.pdf", size: int = 50_000) -> Evidence:
    return Evidence(name, "application/pdf", size, DIGEST, outcomes=("lo-1",))


def assessed(lo2_met: bool = False) -> Assessed:
    results = (OutcomeResult("lo-1", True, "programs run"), OutcomeResult("lo-2", lo2_met))
    return Assessed(ASSESSOR, at(3), PORTFOLIO, results)


def events(lo2_met: bool = False) -> list[Any]:
    return [Identified(ASSESSOR, at(0), "did:example:ion", CLAIMS),
            Documented(ASSESSOR, at(1), (pdf(),)), assessed(lo2_met),
            Certified(ASSESSOR, at(4))]  # fmt: skip


def test_the_four_stages_in_order_end_in_a_certified_case() -> None:
    case = replay("val-1", events(), POLICY)
    assert case.stage is Stage.CERTIFIED
    assert case.final
    assert case.met == ("lo-1",)
    assert [(e.event, e.actor) for e in case.audit][-1] == ("certified", ASSESSOR)


def test_stages_cannot_be_skipped_or_reopened() -> None:
    case = open_validation("val-1", events()[0], POLICY)
    with pytest.raises(InvalidTransition, match="assessed is not possible now"):
        apply(case, assessed())
    certified = replay("val-1", events(), POLICY)
    with pytest.raises(InvalidTransition, match="closed stage certified"):
        apply(certified, Documented(ASSESSOR, at(5), (pdf("late.pdf"),)))


def test_nothing_is_certified_when_no_outcome_was_met() -> None:
    case = replay("val-1", events()[:2], POLICY)
    failed = Assessed(ASSESSOR, at(3), PORTFOLIO,
                      (OutcomeResult("lo-1", False), OutcomeResult("lo-2", False)))  # fmt: skip
    with pytest.raises(InvalidCaseEvent, match="nothing to certify"):
        apply(apply(case, failed), Certified(ASSESSOR, at(4)))


@pytest.mark.parametrize(
    ("item", "head", "problem"),
    [
        (pdf(size=2_000_000), None, "more than the 1000000 accepted per file"),
        (Evidence("run.exe", "application/x-msdownload", 10, DIGEST), None, "is not accepted"),
        (pdf(), b"MZ\x90\x00", "the content is not application/pdf"),
        (pdf(size=0), None, "the file is empty"),
        (Evidence("a.pdf", "application/pdf", 10, "xyz"), None, "SHA-256"),
    ],
)
def test_evidence_is_refused_with_the_file_and_the_problem_named(
    item: Evidence, head: bytes | None, problem: str
) -> None:
    with pytest.raises(EvidenceRejected, match=problem) as caught:
        check_evidence(item, POLICY, head)
    assert caught.value.message.startswith(item.name)


def test_a_real_pdf_head_passes_and_the_file_count_is_bounded() -> None:
    check_evidence(pdf(), POLICY, b"%PDF-1.7\n")
    case = replay("val-1", events()[:2], POLICY)
    with pytest.raises(InvalidCaseEvent, match="at most 3"):
        apply(case, Documented(ASSESSOR, at(2), tuple(pdf(f"{i}.pdf") for i in range(3))))


def test_an_oversized_file_leaves_the_case_as_it_was() -> None:
    case = replay("val-1", events()[:2], POLICY)
    with pytest.raises(EvidenceRejected):
        apply(case, Documented(ASSESSOR, at(2), (pdf("video.pdf", 5_000_000),)))
    assert case.evidence == (pdf(),)


def test_the_assessment_uses_the_vocabulary_and_rates_every_claim_once() -> None:
    case = replay("val-1", events()[:2], POLICY)
    with pytest.raises(InvalidCaseEvent, match="not a concept of the assessment vocabulary"):
        apply(case, Assessed(ASSESSOR, at(3), "urn:interview", assessed().results))
    with pytest.raises(InvalidCaseEvent, match="no result for claimed outcomes: lo-2"):
        apply(case, Assessed(ASSESSOR, at(3), PORTFOLIO, assessed().results[:1]))


def test_the_certificate_holds_only_the_outcomes_met_and_says_how_they_were_learnt() -> None:
    case = replay("val-1", events(), POLICY)
    mc = certificate_model(
        case, title={"en": "Python programming (validated)"}, learner=Learner(full_name="Ion"),
        awarding_body=Organisation(id="did:web:vet.example", name={"en": "VET Centre"}),
        place=Place(country=concept(ROMANIA)), issued=at(5), setting="informal",
        quality_assurance=(QualityAssurance(type=concept(PROGRAMME_QA)),),
        workload=Workload(ects=Decimal(3)),
        level=Level(eqf=concept("http://data.europa.eu/snb/eqf/4")),
    )  # fmt: skip
    assert [o.text["en"] for o in mc.learning_outcomes] == ["Write small Python programs"]
    assert mc.learning_outcomes[0].skills == (PROGRAMMING,)
    assert [a.id for a in mc.assessment_types] == [
        "https://w3id.org/microcred/vocab/assessment/recognition-of-prior-learning",
        PORTFOLIO,
    ]
    assert mc.participation is not None
    assert mc.participation.setting is not None
    assert mc.participation.setting.label["de"] == "informelles Lernen"
    assert check(mc).complete, check(mc)


EVENTS = st.sampled_from(["doc", "big", "assess", "certify", "close"])


@settings(max_examples=200, deadline=None)
@given(st.lists(EVENTS, max_size=12))
def test_random_events_never_leave_a_final_stage(names: list[str]) -> None:
    case = open_validation("val-1", events()[0], POLICY)
    for hour, name in enumerate(names, 1):
        event: Any = {
            "doc": Documented(ASSESSOR, at(hour), (pdf(f"{hour}.pdf"),)),
            "big": Documented(ASSESSOR, at(hour), (pdf(f"{hour}.pdf", 9_000_000),)),
            "assess": Assessed(ASSESSOR, at(hour), PORTFOLIO, assessed().results),
            "certify": Certified(ASSESSOR, at(hour)),
            "close": Closed(ASSESSOR, at(hour), "candidate left"),
        }[name]
        before = case
        try:
            case = apply(case, event)
        except (InvalidTransition, InvalidCaseEvent, EvidenceRejected):
            assert case is before
            continue
        assert before.stage not in FINAL
        assert all(item.size <= POLICY.max_bytes for item in case.evidence)
        assert len(case.evidence) <= POLICY.max_files
    assert case.audit[-1].stage is case.stage
