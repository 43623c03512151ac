"""Open Badges 3.0 ``OpenBadgeCredential`` / ``AchievementCredential`` <-> the Annex I model.

``to_ob3`` writes an unsigned VC 2.0 credential with the OB 3.0.3 context and microcred's
extension context (``https://w3id.org/microcred/ob3-extension/v1``) for the Annex I elements
OB 3.0 has no place for; ``from_ob3`` reads it back, and reads foreign OB 3.0 credentials
(VC 2.0 or 1.1) as far as they go. The mapping is documented in ``docs/ob3-mapping.md``.
"""

from __future__ import annotations

from microcred.core.formats.ob3_read import from_ob3, is_ob3
from microcred.core.formats.ob3_write import CONTEXTS, EXTENSION_CONTEXT, to_ob3

__all__ = ["CONTEXTS", "EXTENSION_CONTEXT", "from_ob3", "is_ob3", "to_ob3"]
