"""Annex I completeness: a result of its own, apart from whether a credential is verified.

A genuine Open Badge that is not an EU micro-credential is still genuine: completeness answers
"is this a complete EU micro-credential (Annex I of Council Recommendation 2022/C 243/02)?" and
never changes ``verified``. One of four states:

* ``complete``: every mandatory Annex I element is present and valid;
* ``incomplete``: it claims to be a micro-credential, but ``missing`` elements are absent or
  ``problems`` name elements with a wrong value;
* ``not-a-micro-credential``: no ELM/EDC, no Annex I extension, no ``MicroCredential`` type, no
  micro-credential ``vct``: Annex I does not apply;
* ``unreadable``: it claims to be a micro-credential, but its elements could not be read.

``notes`` are what reading noticed without it being wrong (a lossy mapping, a local concept
read as the official one): they never make a credential incomplete.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from microcred.core import annex1
from microcred.core.annex1 import MANDATORY, Problem
from microcred.core.errors import MicrocredError
from microcred.core.formats.base import Imported
from microcred.core.formats.detect import read_document
from microcred.core.formats.ob3_annex1 import direct_judgement
from microcred.core.formats.sdjwt_vc import VCT
from microcred.core.verification.checks import claims_micro_credential
from microcred.core.verification.wording import completeness_line

State = Literal["complete", "incomplete", "not-a-micro-credential", "unreadable"]
STATES: tuple[State, ...] = ("complete", "incomplete", "not-a-micro-credential", "unreadable")


@dataclass(frozen=True)
class Completeness:
    """The Annex I result: a state, the missing elements (Annex I keys), problems and notes."""

    state: State
    missing: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = ()
    notes: tuple[str, ...] = ()
    reason: str = ""  # why it could not be read (``unreadable``) or does not apply

    @property
    def complete(self) -> bool:
        return self.state == "complete"

    @property
    def summary(self) -> str:
        """One English sentence (:func:`~microcred.core.verification.wording.completeness_line`
        gives it in other languages)."""
        return completeness_line(self._fields(), "en")

    def _fields(self) -> dict[str, Any]:
        return {
            "state": self.state,
            "missing": list(self.missing),
            "problems": [{"element": p.element, "message": p.message} for p in self.problems],
            "notes": list(self.notes),
            "reason": self.reason,
        }

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of the CLI, the API and stored presentation results."""
        return {**self._fields(), "summary": self.summary}


NOT_A_MICRO_CREDENTIAL = Completeness(
    "not-a-micro-credential",
    reason="no ELM/EDC, Annex I extension or MicroCredential type",
)


def completeness_of(document: Mapping[str, Any]) -> Completeness:
    """Read the Annex I elements through the format readers and judge them.

    An OB 3.0 credential is first judged straight from its JSON
    (:func:`~microcred.core.formats.ob3_annex1.direct_judgement`, the same verdict without
    building the model); the full reading runs when that reader is not sure.
    """
    if not claims_micro_credential(document):
        return NOT_A_MICRO_CREDENTIAL
    direct = direct_judgement(document)
    if direct is not None:
        missing, problems = direct
        return Completeness("incomplete" if missing else "complete", missing, problems)
    return read_completeness(document)


def read_completeness(document: Mapping[str, Any]) -> Completeness:
    """Completeness by the full reading: the model built by the format's reader, then judged
    (for a document that claims to be a micro-credential)."""
    try:
        return judge(read_document(document))
    except MicrocredError as exc:
        return Completeness("unreadable", reason=exc.message)
    except (ValueError, KeyError, TypeError) as exc:  # a reader's defect must not stop verify
        return Completeness("unreadable", reason=f"the reader failed: {exc}")


def judge(imported: Imported) -> Completeness:
    """A credential as read: Annex I's verdict on the model, with the reader's problems (which
    count) and notes (which never do)."""
    report = annex1.check(imported.credential)
    problems = (*imported.problems, *report.problems)
    state: State = "incomplete" if report.missing or problems else "complete"
    return Completeness(state, report.missing, problems, imported.notes)


def disclosed_completeness(claims: Mapping[str, Any]) -> Completeness:
    """An SD-JWT VC: which mandatory Annex I claims (of our ``vct``) the holder disclosed.

    Only presence is judged: the values of disclosed claims are shown, not read into the model.
    """
    if claims_micro_credential(claims):
        return completeness_of(claims)
    if claims.get("vct") != VCT:
        return NOT_A_MICRO_CREDENTIAL
    missing = tuple(key for key in MANDATORY if claims.get(key) in (None, "", [], {}))
    notes = ["an SD-JWT VC shows only the elements its holder chose to disclose"]
    if not missing:
        notes.append("every mandatory element is disclosed; their values were not re-validated")
    return Completeness("incomplete" if missing else "complete", missing, (), tuple(notes))
