"""From what a pathway still misses to the catalogue's opportunities that would fill it: the
opportunities a part names, those that teach the ESCO skills it asks for (guidance), and those
the catalogue finds for its field, level and provider type (search)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from microcred.core.errors import MicrocredError
from microcred.core.i18n import pick
from microcred.core.search.document import SearchDocument
from microcred.core.stacking.gaps import Gap
from microcred.services import guidance, opportunities, search
from microcred.services.context import Context

LIMIT = 3


@dataclass(frozen=True)
class Link:
    """An opportunity of the catalogue: its title and its page (``/courses/{id}``)."""

    title: str
    url: str


@dataclass(frozen=True)
class GapView:
    """An unmet part with the opportunities that would fill it, and a catalogue search for
    more (None when the catalogue cannot say what the part asks)."""

    gap: Gap
    links: tuple[Link, ...]
    more_url: str | None


def _title(document: SearchDocument, language: str) -> str:
    titles = {lang: text.title for lang, text in document.texts.items() if text.title}
    return pick(titles, language) or document.id


def _named(ctx: Context, uri: str, language: str) -> Link | None:
    """A named opportunity of this catalogue (``{public_url}/catalogue/{id}``), if published."""
    prefix = f"{ctx.public_url}/catalogue/"
    tail = uri[len(prefix) :] if uri.startswith(prefix) else ""
    if not tail.isdigit():
        return None
    try:
        data = opportunities.version(ctx, int(tail)).data
    except MicrocredError:
        return None
    title = ((data or {}).get("credential") or {}).get("title") or {}
    return Link(pick(title, language) or uri, f"/courses/{tail}")


def _teaching(ctx: Context, gap: Gap, language: str) -> list[Link]:
    params = {"skills": list(gap.skills), "lang": language, "per_page": str(LIMIT)}
    try:
        found = guidance.guide(ctx, params)
    except MicrocredError:
        return []
    return [Link(_title(s.document, language), f"/courses/{s.document.id}")
            for s in found.suggestions]  # fmt: skip


def _searched(ctx: Context, gap: Gap, language: str) -> list[Link]:
    params = {**{k: list(v) for k, v in gap.search.items()}, "lang": [language],
              "per_page": [str(LIMIT)]}  # fmt: skip
    try:
        results = search.search_catalogue(ctx, params)
    except MicrocredError:
        return []
    return [Link(_title(h.document, language), f"/courses/{h.document.id}") for h in results.hits]


def view(ctx: Context, gap: Gap, language: str) -> GapView:
    """The gap with up to a few opportunities per way of filling it (named ones first)."""
    if gap.manual:
        return GapView(gap, (), None)
    links = [link for uri in gap.opportunities if (link := _named(ctx, uri, language))]
    if gap.skills:
        links.extend(_teaching(ctx, gap, language))
    if gap.search and not gap.opportunities:
        links.extend(_searched(ctx, gap, language))
    unique = tuple({link.url: link for link in links}.values())
    more = None
    if gap.search and not gap.opportunities:
        more = "/courses?" + urlencode({k: list(v) for k, v in gap.search.items()}, doseq=True)
    return GapView(gap, unique, more)


def views(ctx: Context, found: list[Gap], language: str) -> list[GapView]:
    return [view(ctx, gap, language) for gap in found]
