"""The recognition case's state machine: the path to a decision, closed cases, appeals, audit."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from microcred.core.errors import InvalidCaseEvent, InvalidTransition
from microcred.core.recognition import (
    Appealed,
    AuthenticityChecked,
    CriterionScore,
    Decided,
    DecisionIssued,
    ProposalMade,
    State,
    Withdrawn,
    apply,
    current_decision,
    open_case,
    replay,
)
from tests.core.recognition.builders import (
    FULL,
    LEARNER,
    OFFICER,
    PARTIAL,
    REFUSED,
    day,
    scores,
    submitted,
    up_to_decision,
)


def build(events: list[Any]) -> Any:
    return replay("case-1", events)


def test_a_case_goes_from_submission_to_an_issued_decision() -> None:
    case = build(up_to_decision())
    assert case.state is State.DECISION_ISSUED
    assert case.final
    assert current_decision(case) == FULL
    assert case.time_to_decision == timedelta(days=5)
    assert [e.event for e in case.audit] == [
        "submitted", "authenticity-checked", "facts-gathered", "criteria-assessed", "decided",
        "decision-issued",
    ]  # fmt: skip
    assert case.audit[1].actor == OFFICER
    assert case.audit[1].at == day(1)


def test_no_decision_on_a_closed_case() -> None:
    case = build(up_to_decision())
    with pytest.raises(InvalidTransition, match=r"closed .*only an appeal"):
        apply(case, Decided(OFFICER, day(6), REFUSED))


def test_an_appeal_reopens_the_case_for_a_new_decision_and_keeps_the_first() -> None:
    case = build([*up_to_decision(REFUSED), Appealed(LEARNER, day(8), "Statistics was assessed")])
    assert case.state is State.APPEALED
    assert current_decision(case) == REFUSED  # in force until a new one is issued
    with pytest.raises(InvalidTransition):
        apply(case, Decided(OFFICER, day(9), PARTIAL))  # the criteria are assessed again first
    again = apply(case, scores().__class__(OFFICER, day(9), scores().scores))
    again = apply(
        apply(again, Decided(OFFICER, day(10), PARTIAL)), DecisionIssued(OFFICER, day(11))
    )
    assert current_decision(again) == PARTIAL
    assert [d.decision for d in again.issued] == [REFUSED, PARTIAL]
    assert again.time_to_decision == timedelta(days=5)  # to the first decision


def test_steps_cannot_be_skipped() -> None:
    case = open_case("case-1", submitted())
    with pytest.raises(InvalidTransition, match="is submitted; decided is not possible now"):
        apply(case, Decided(OFFICER, day(1), FULL))


def test_a_withdrawn_case_accepts_nothing_more() -> None:
    case = apply(open_case("case-1", submitted()), Withdrawn(LEARNER, day(1), "moved abroad"))
    assert case.final
    for event in (AuthenticityChecked(OFFICER, day(2), ("mc-1",)),
                  Appealed(LEARNER, day(2), "please")):  # fmt: skip
        with pytest.raises(InvalidTransition, match="closed"):
            apply(case, event)


def test_a_decision_may_be_revised_until_it_is_issued() -> None:
    events = up_to_decision()[:-1]
    case = apply(build(events), Decided(OFFICER, day(4), PARTIAL))
    assert case.decision is not None
    assert case.decision.decision == PARTIAL
    assert current_decision(case) is None  # nothing issued yet


def test_events_cannot_go_back_in_time() -> None:
    case = build(up_to_decision()[:3])
    with pytest.raises(InvalidCaseEvent, match="dated before"):
        apply(case, scores().__class__(OFFICER, day(1), scores().scores))


def test_every_criterion_is_scored_once_with_a_comment() -> None:
    case = build(up_to_decision()[:3])
    partial = scores().scores[:-1]
    with pytest.raises(InvalidCaseEvent, match="criteria not scored: relevance"):
        apply(case, scores().__class__(OFFICER, day(3), partial))
    with pytest.raises(InvalidCaseEvent, match="needs a comment"):
        CriterionScore("quality", "strong", " ")
    with pytest.raises(InvalidCaseEvent, match="not a criterion"):
        CriterionScore("price", "strong", "cheap")


def test_the_authenticity_check_names_only_the_cases_credentials() -> None:
    case = open_case("case-1", submitted())
    with pytest.raises(InvalidCaseEvent, match="not credentials of this case: mc-9"):
        apply(case, AuthenticityChecked(OFFICER, day(1), ("mc-1",), ("mc-9",)))


def test_only_a_proposal_that_was_made_can_be_confirmed() -> None:
    case = build(up_to_decision()[:4])
    with pytest.raises(InvalidCaseEvent, match="no proposal from rule 'auto-1'"):
        apply(case, Decided(OFFICER, day(4), FULL, confirms="auto-1"))
    proposed = apply(case, ProposalMade("system", day(4), "auto-1", FULL))
    confirmed = apply(proposed, Decided(OFFICER, day(4), FULL, confirms="auto-1"))
    assert confirmed.decision is not None
    assert confirmed.decision.confirms == "auto-1"
    assert [e.event for e in confirmed.audit][-2:] == ["proposal-made", "decided"]


def test_a_case_starts_with_its_submission() -> None:
    with pytest.raises(InvalidCaseEvent, match="first event is its submission"):
        replay("case-1", [DecisionIssued(OFFICER, day(1))])
    with pytest.raises(InvalidTransition, match="already submitted"):
        apply(open_case("case-1", submitted()), submitted())


def test_every_credential_gets_a_verdict_and_the_reports_stay_with_the_case() -> None:
    case = open_case("case-1", submitted())
    with pytest.raises(InvalidCaseEvent, match="no verdict for: mc-2"):
        apply(case, AuthenticityChecked(OFFICER, day(1), ("mc-1",)))
    report = {"verified": False, "checks": [{"name": "status", "status": "failed"}]}
    checked = apply(case, AuthenticityChecked(OFFICER, day(1), ("mc-1",), ("mc-2",),
                                              reports={"mc-2": report}))  # fmt: skip
    assert checked.failed == ("mc-2",)
    assert checked.reports["mc-2"] == report
