"""What every format reader returns."""

from __future__ import annotations

from dataclasses import dataclass

from microcred.core.annex1 import Problem
from microcred.core.model import MicroCredential

FORMATS = ("ob3", "elm", "native")


@dataclass(frozen=True)
class Imported:
    """A credential read from a document: the model, its format, what reading found wrong, and
    reading notes (what the mapping could not carry exactly: a local concept, a lossy value).

    ``problems`` make the credential incomplete or invalid; ``notes`` never do.
    """

    format: str
    credential: MicroCredential
    problems: tuple[Problem, ...] = ()
    notes: tuple[str, ...] = ()
