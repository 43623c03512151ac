"""What one published learning opportunity contributes to the search index.

Per-language text fields (title, description, outcomes, provider name) for every language the
opportunity has, its facet values as codes (``RO``, ``RO321``, ``0613``, ``920fbb3cbe``...), and
its concept expansions: its ESCO skills, ISCED-F field and EQF level, languages and country, each
with its broader concepts, so that a query naming any of them finds it in any language.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict

from microcred.core.esco import EscoData, packaged_esco
from microcred.core.model import ConceptRef, MicroCredential
from microcred.core.search.concepts import isced_uri
from microcred.core.search.text import index_text
from microcred.core.vocab import Vocabularies, vocabularies

FIELD_WEIGHTS = {"title": 3.0, "description": 1.0, "outcomes": 1.5, "provider": 1.0}


class DocumentText(BaseModel):
    """The texts of one language."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    title: str = ""
    description: str = ""
    outcomes: tuple[str, ...] = ()
    provider: str = ""

    def fields(self) -> dict[str, str]:
        return {
            "title": self.title,
            "description": self.description,
            "outcomes": "\n".join(self.outcomes),
            "provider": self.provider,
        }


class SearchDocument(BaseModel):
    """One opportunity as the index sees it (JSON-serialisable; the SQL layer stores its parts)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    id: str
    texts: dict[str, DocumentText]
    country: str | None = None
    nuts: str | None = None
    eqf: int | None = None
    qf_ehea: str | None = None
    isced: str | None = None
    mode: str | None = None
    languages: tuple[str, ...] = ()
    provider_type: str | None = None
    qa_types: tuple[str, ...] = ()
    ects: Decimal | None = None
    price: Decimal | None = None
    currency: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    recognition: bool = False
    published: date | None = None
    skills: tuple[str, ...] = ()
    concepts: tuple[str, ...] = ()

    def index_texts(self) -> dict[str, dict[str, str]]:
        """Language -> field -> the terms the SQL full-text index stores (see ``text``)."""
        return {
            lang: {name: index_text(value, lang) for name, value in text.fields().items()}
            for lang, text in self.texts.items()
        }


def _tail(uri: str | None) -> str | None:
    return uri.rstrip("/").rsplit("/", 1)[-1] if uri else None


def _notation(vocab: Vocabularies, scheme: str, ref: ConceptRef | None) -> str | None:
    if ref is None:
        return None
    found = vocab.scheme(scheme).get(ref.id)
    return found.notation if found is not None and found.notation else _tail(ref.id)


def _texts(mc: MicroCredential, provider_name: Mapping[str, str]) -> dict[str, DocumentText]:
    languages = {*(mc.title or {}), *(mc.description or {}), *provider_name}
    languages |= {lang for outcome in mc.learning_outcomes for lang in outcome.text}
    return {
        lang: DocumentText(
            title=(mc.title or {}).get(lang, ""),
            description=(mc.description or {}).get(lang, ""),
            outcomes=tuple(o.text[lang] for o in mc.learning_outcomes if lang in o.text),
            provider=provider_name.get(lang, ""),
        )
        for lang in sorted(languages)
    }


def _vocab_ancestors(vocab: Vocabularies, uri: str) -> Iterator[str]:
    seen = 0
    found = vocab.find(uri)
    while found is not None and found.broader and seen < 8:
        yield found.broader
        found, seen = vocab.find(found.broader), seen + 1


def expand_concepts(uris: Iterable[str], vocab: Vocabularies, esco: EscoData) -> tuple[str, ...]:
    """The URIs with every broader concept (vocabulary and ESCO hierarchy), each once."""
    result: dict[str, None] = {}
    for uri in uris:
        for item in (uri, *esco.ancestors(uri)):
            normal = isced_uri(item)
            result[normal] = None
            result.update(dict.fromkeys(_vocab_ancestors(vocab, normal)))
    return tuple(result)


def build_document(
    doc_id: str,
    data: Mapping[str, Any],
    *,
    provider_type: str | None = None,
    published: date | None = None,
    vocab: Vocabularies | None = None,
    esco: EscoData | None = None,
) -> SearchDocument:
    """The document of a published version (``{"credential": ..., "offer": ...}``)."""
    vocab, esco = vocab or vocabularies(), esco or packaged_esco()
    mc = MicroCredential.model_validate(data["credential"])
    offer: Mapping[str, Any] = data.get("offer") or {}
    place = mc.issuer_countries[0] if mc.issuer_countries else None
    body = mc.awarding_bodies[0].name if mc.awarding_bodies else {}
    skills = tuple(dict.fromkeys(s for o in mc.learning_outcomes for s in o.skills))
    direct = [*skills, *(r.id for r in mc.languages)]
    for ref in (
        mc.field_of_study,
        mc.level.eqf if mc.level else None,
        place.country if place else None,
    ):
        if ref is not None:
            direct.append(ref.id)
    price = offer.get("price") or {}
    return SearchDocument(
        id=doc_id,
        texts=_texts(mc, body),
        country=_notation(vocab, "country", place.country if place else None),
        nuts=_notation(vocab, "nuts", place.region if place else None),
        eqf=int(n)
        if (n := _notation(vocab, "eqf", mc.level.eqf if mc.level else None)) and n.isdigit()
        else None,
        qf_ehea=_tail(mc.level.qf_ehea.id) if mc.level and mc.level.qf_ehea else None,
        isced=_notation(vocab, "isced-f", mc.field_of_study),
        mode=_tail(mc.participation.mode.id) if mc.participation else None,
        languages=tuple(n for r in mc.languages if (n := _notation(vocab, "language", r))),
        provider_type=provider_type,
        qa_types=tuple(dict.fromkeys(t for q in mc.quality_assurance if (t := _tail(q.type.id)))),
        ects=mc.workload.ects if mc.workload else None,
        price=Decimal(str(price["amount"])) if "amount" in price else None,
        currency=price.get("currency"),
        start_date=_date(offer.get("start_date")),
        end_date=_date(offer.get("end_date")),
        recognition=bool(offer.get("recognition_policy")),
        published=published,
        skills=skills,
        concepts=expand_concepts(direct, vocab, esco),
    )


def _date(value: object) -> date | None:
    if isinstance(value, date):
        return value
    return date.fromisoformat(value) if isinstance(value, str) and value else None
