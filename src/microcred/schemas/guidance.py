"""The shape of a guidance answer, shared by ``GET /guidance`` (its OpenAPI schema) and
``microcred guidance --json``."""

from __future__ import annotations

from pydantic import BaseModel

from microcred.core.i18n import pick
from microcred.services.context import Context
from microcred.services.guidance import Guidance


class GapSkillOut(BaseModel):
    uri: str
    label: str
    weight: float  # essential 1, optional 0.5


class CoveredOut(BaseModel):
    uri: str
    label: str
    share: float  # 1 fully, 0.5 through a broader or narrower skill
    via: str | None


class SuggestionOut(BaseModel):
    id: int
    url: str
    title: str
    rank: int
    coverage: float  # share of the missing weight this opportunity covers
    eqf: int | None
    covers: list[CoveredOut]
    reasons: list[str]


class GuidanceOut(BaseModel):
    """What is missing for the target, and what fills it best, in the asked language."""

    target: str  # the occupation's URI, or "skills"
    target_label: str
    current_level: int | None
    missing: list[GapSkillOut]
    suggestions: list[SuggestionOut]

    @classmethod
    def of(cls, ctx: Context, found: Guidance) -> GuidanceOut:
        lang, gap = found.language, found.gap
        return cls(
            target=gap.target.occupation or "skills",
            target_label=found.target_label,
            current_level=gap.current_level,
            missing=[GapSkillOut(uri=u, label=label, weight=w) for u, label, w in found.missing],
            suggestions=[SuggestionOut(
                id=int(s.document.id), url=ctx.site.opportunity_url(int(s.document.id)),
                title=pick({k: t.title for k, t in s.document.texts.items()}, lang) or "",
                rank=s.rank, coverage=s.coverage,
                eqf=s.document.eqf,
                covers=[CoveredOut(uri=c.uri, label=c.label, share=c.share, via=c.via)
                        for c in s.covers],
                reasons=[r.text(lang) for r in s.reasons]) for s in found.suggestions],
        )  # fmt: skip
