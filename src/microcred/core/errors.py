"""One exception hierarchy with stable kebab-case codes, translated once per adapter."""

from __future__ import annotations

from collections.abc import Sequence


class MicrocredError(Exception):
    """Base of every error microcred raises on purpose; ``code`` is stable for clients."""

    code = "microcred-error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code


class NotACredential(MicrocredError):
    """The input is not a credential at all (binary, broken JSON, unknown shape)."""

    code = "not-a-credential"


class InputTooLarge(NotACredential):
    """The input is bigger or deeper than we accept."""

    code = "input-too-large"


class UnknownContext(NotACredential):
    """A JSON-LD context that is not packaged with microcred (we never fetch contexts)."""

    code = "unknown-context"


class InvalidCredential(MicrocredError):
    """A credential that parsed but breaks a rule (missing element, unknown concept, ...)."""

    code = "invalid-credential"


class MalformedCredential(InvalidCredential):
    """A credential that breaks the data model's rules; ``problems`` lists each one as
    ``(JSON path, sentence)`` so an adapter can name every field at once."""

    def __init__(self, message: str, *, problems: Sequence[tuple[str, str]] = ()) -> None:
        super().__init__(message)
        self.problems = tuple(problems)

    def under(self, prefix: str) -> MalformedCredential:
        """The same problems with paths inside a request (``credential`` -> ``credential.id``)."""
        moved = [(f"{prefix}.{path}" if path else prefix, text) for path, text in self.problems]
        return MalformedCredential(self.message, problems=moved)


class VocabularyError(InvalidCredential):
    """A concept that is not in the controlled vocabulary it claims to be from."""

    code = "unknown-concept"


class InvalidKey(MicrocredError):
    """A key that cannot be used (wrong type, bad encoding, wrong passphrase)."""

    code = "invalid-key"


class ProofError(MicrocredError):
    """A proof cannot be created or checked."""

    code = "invalid-proof"


class ResolutionError(MicrocredError):
    """A DID or URL could not be resolved (refused address, too large, too slow, not found)."""

    code = "resolution-failed"


class StatusListError(MicrocredError):
    """A status list that is not a status list, or an index out of range."""

    code = "invalid-status-list"
