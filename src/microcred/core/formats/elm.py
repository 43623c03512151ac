"""European Learning Model format: the Annex I model <-> EDC JSON-LD (ELM 3.2 application profile).

``to_elm`` writes an unsigned ``EuropeanDigitalCredential`` that conforms to the ELM 3.2 EDC
SHACL shapes when the credential is complete; ``from_elm`` reads microcred's exports and the
official samples (also wrapped for upload or sealed as JAdES JSON); ``is_elm`` recognises them.
The mapping is documented in ``docs/elm-mapping.md``.
"""

from __future__ import annotations

from microcred.core.formats.elm_read import from_elm, is_elm, unwrap
from microcred.core.formats.elm_write import to_elm

__all__ = ["from_elm", "is_elm", "to_elm", "unwrap"]
