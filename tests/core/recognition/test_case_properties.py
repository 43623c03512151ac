"""The recognition machine over random event sequences (hypothesis): it never leaves a final
state except by appealing an issued decision, and its audit trail is complete and in order."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from microcred.core.errors import InvalidCaseEvent, InvalidTransition
from microcred.core.recognition import (
    FINAL,
    Appealed,
    AuthenticityChecked,
    Decided,
    DecisionIssued,
    FactsGathered,
    ProposalMade,
    State,
    Withdrawn,
    apply,
    open_case,
    replay,
)
from tests.core.recognition.builders import FULL, LEARNER, OFFICER, PARTIAL, REFUSED, day, scores
from tests.core.recognition.builders import submitted as submission

DECISIONS = st.sampled_from([FULL, PARTIAL, REFUSED])


def events_at(n: int) -> st.SearchStrategy[Any]:
    at = day(1) + timedelta(hours=n)
    return st.one_of(
        st.just(AuthenticityChecked(OFFICER, at, ("mc-1",), ("mc-2",))),
        st.just(FactsGathered(OFFICER, at, ())),
        DECISIONS.map(lambda d: ProposalMade("system", at, "auto-1", d)),
        st.just(scores().__class__(OFFICER, at, scores().scores)),
        DECISIONS.map(lambda d: Decided(OFFICER, at, d)),
        st.just(DecisionIssued(OFFICER, at)),
        st.just(Appealed(LEARNER, at, "new evidence")),
        st.just(Withdrawn(LEARNER, at)),
    )


sequences = st.integers(0, 30).flatmap(lambda n: st.tuples(*(events_at(i) for i in range(n))))


@settings(max_examples=300, deadline=None)
@given(sequences)
def test_random_events_never_leave_a_final_state_except_by_appeal(events: tuple[Any, ...]) -> None:
    case = open_case("case-1", submission())
    accepted: list[Any] = [case.submission]
    for event in events:
        before = case
        try:
            case = apply(case, event)
        except InvalidTransition:
            assert case is before
            continue
        except InvalidCaseEvent:
            continue
        accepted.append(event)
        if before.state in FINAL:
            assert before.state is State.DECISION_ISSUED
            assert isinstance(event, Appealed)
        if isinstance(event, DecisionIssued):
            assert before.scores  # never issued without the criteria assessed
    assert len(case.audit) == len(accepted)
    times = [entry.at for entry in case.audit]
    assert times == sorted(times)
    assert case.audit[-1].state is case.state
    assert replay("case-1", accepted) == case
    if case.issued_at:
        assert case.time_to_decision == case.issued_at[0] - case.submission.at
