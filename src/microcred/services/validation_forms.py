"""The forms of a validation of non-formal and informal learning (issue 11 §4): a new case
with the candidate's claimed outcomes, and the next step (assessment, certification, closing)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from microcred.services.bounds import RowId

LangText = dict[str, str]


class ClaimIn(BaseModel):
    """A learning outcome the candidate claims: its text and ESCO skills, or the id (or 1-based
    position) of an outcome of ``opportunity_id``'s credential, whose text and skills it takes."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    id: str = Field(min_length=1, max_length=50, pattern=r"^[A-Za-z0-9._-]+$")
    text: LangText = Field(
        default_factory=dict,
        max_length=30,
        description="language map; empty when taken from the opportunity",
    )
    skills: list[str] = Field(default_factory=list, max_length=50, description="ESCO skill URIs")
    opportunity_outcome: str | None = Field(None, max_length=500)


class ValidationIn(BaseModel):
    """A candidate asks an organisation to validate what they learnt outside formal education."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    provider_id: RowId = Field(description="the organisation that validates and certifies")
    candidate: str = Field(min_length=1, max_length=500, description="the candidate's name")
    email: str | None = Field(None, max_length=320, description="the candidate's e-mail")
    title: LangText = Field(min_length=1, max_length=30,
                            description="the micro-credential's title, a language map")  # fmt: skip
    setting: Literal["non-formal", "informal"] = Field(description="where the learning happened")
    opportunity_id: RowId | None = Field(None, description="the opportunity whose outcomes "
                                         "the claims map to (the organisation's own)")  # fmt: skip
    claims: list[ClaimIn] = Field(min_length=1, max_length=50)


class ResultIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    outcome: str = Field(min_length=1, max_length=50, description="a claimed outcome's id")
    met: bool
    comment: str = Field("", max_length=2000)


class ValidationEventIn(BaseModel):
    """The next step: ``assessed`` (method and one result per claim), ``certified`` (issues the
    micro-credential with the outcomes met) or ``closed`` (with a reason)."""

    model_config = ConfigDict(extra="forbid")
    type: Literal["assessed", "certified", "closed"]
    method: str | None = Field(
        None, max_length=500, description="assessed: a concept of the assessment vocabulary"
    )
    results: list[ResultIn] = Field(default_factory=list, max_length=50)
    reason: str | None = Field(None, max_length=5000, description="closed")
