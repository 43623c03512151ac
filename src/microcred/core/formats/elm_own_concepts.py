"""microcred's own concepts where ELM's controlled lists have none (informal learning).

The EDC shapes accept only EU Vocabularies' learning settings (formal, non-formal). A setting of
ours (``…/vocab/learning-setting/informal``, see ``core/vocab/data/PROVENANCE.md``) is written as
a specification ``Note`` whose ``subject`` is the concept and whose text is its labels, and read
back from there.
"""

from __future__ import annotations

from typing import Any

from microcred.core.formats.elm_nodes import Node, concept_ref, nodes
from microcred.core.formats.elm_terms import concept_node
from microcred.core.model import ConceptRef
from microcred.core.vocab import Vocabularies, vocabularies
from microcred.core.vocab.loaders import EXTENDED_BY


def setting_terms(setting: ConceptRef, vocab: Vocabularies) -> dict[str, Any]:
    """``learningSetting`` for an EU concept; a note naming ours otherwise."""
    own = vocab.scheme(EXTENDED_BY["learning-setting"])
    if setting.id not in own:
        return {"learningSetting": concept_node(setting, "learning-setting", vocab)}
    subject = concept_node(setting, EXTENDED_BY["learning-setting"], vocab)
    text = dict(setting.label) or {"en": setting.id}
    return {"additionalNote": [{"type": "Note", "noteLiteral": text, "subject": subject}]}


def setting_from_notes(spec: Node) -> ConceptRef | None:
    """Our learning setting, when a specification note names one."""
    own = vocabularies().scheme(EXTENDED_BY["learning-setting"])
    for note in nodes(spec.get("additionalNote")):
        subject = concept_ref(note.get("subject"))
        if subject is not None and subject.id in own:
            return subject
    return None
