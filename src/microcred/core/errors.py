"""One exception hierarchy with stable kebab-case codes, translated once per adapter.

Each class says how an entry point reports it: ``http_status`` (the API's problem+json status)
and ``exit_code`` (the CLI's: 2 for input that cannot be used, 1 when the command ran and the
answer is negative). ``docs/errors.md`` lists every code; a test keeps it complete.
"""

from __future__ import annotations

from collections.abc import Sequence


class MicrocredError(Exception):
    """Base of every error microcred raises on purpose; ``code`` is stable for clients."""

    code = "microcred-error"
    http_status = 400
    exit_code = 2

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
    http_status = 413


class UnknownContext(NotACredential):
    """A JSON-LD context that is not packaged with microcred (we never fetch contexts)."""

    code = "unknown-context"
    http_status = 422


class InvalidCredential(MicrocredError):
    """A credential that parsed but breaks a rule (missing element, unknown concept, ...)."""

    code = "invalid-credential"
    http_status = 422


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


class InvalidKey(MicrocredError):
    """A key that cannot be used (wrong type, bad encoding, wrong passphrase)."""

    code = "invalid-key"
    http_status = 422


class ProofError(MicrocredError):
    """A proof cannot be created or checked."""

    code = "invalid-proof"
    http_status = 422


class InvalidCertificate(MicrocredError):
    """A seal certificate that cannot be used: wrong password, a key that is not the
    certificate's, an expired or not yet valid certificate, an unreadable file."""

    code = "invalid-certificate"
    http_status = 422


class InvalidTrustList(MicrocredError):
    """A trust list (EU Trusted List XML) that cannot be used: not XML, not a trust list,
    unsigned, or a signature that does not hold."""

    code = "invalid-trust-list"
    http_status = 422


class ResolutionError(MicrocredError):
    """A DID or URL could not be resolved (refused address, too large, too slow, not found)."""

    code = "resolution-failed"
    http_status = 422


class StatusListError(MicrocredError):
    """A status list that is not a status list, or an index out of range."""

    code = "invalid-status-list"
    http_status = 422


class InvalidQuery(MicrocredError):
    """A search, guidance or statistics request that cannot be answered as asked; ``field``
    names the parameter at fault (``eqf``, ``page``, ``dimensions``...)."""

    code = "invalid-query"

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None) -> None:
        super().__init__(message, code=code)
        self.field = field


class InvalidSearchQuery(InvalidQuery):
    """A catalogue search with a parameter out of range or not in its vocabulary."""

    code = "invalid-search-query"


class InvalidGuidanceTarget(InvalidQuery):
    """A guidance target that is not a known occupation or a set of skill URIs."""

    code = "invalid-guidance-target"


class InvalidStatisticsQuery(InvalidQuery):
    """An uptake-statistics request with an unknown dimension, measure, period or filter."""

    code = "invalid-statistics-query"


class EscoDataError(MicrocredError):
    """An ESCO CSV file that cannot be read; names the file, line and column at fault."""

    code = "invalid-esco-data"

    def __init__(
        self, message: str, *, file: str, line: int | None = None, column: str | None = None
    ) -> None:
        where = file + (f", line {line}" if line is not None else "")
        where += f", column {column!r}" if column else ""
        super().__init__(f"{where}: {message}")
        self.file = file
        self.line = line
        self.column = column


class OAuthError(MicrocredError):
    """A refusal in an OAuth 2.0 exchange (OpenID4VCI, OpenID4VP): ``error`` is the protocol's
    own error code (``invalid_request``, ``invalid_grant``, ``invalid_proof``...), which the
    endpoint sends back as is, with ``http_status`` (400 unless the protocol says otherwise)."""

    code = "oauth-error"

    def __init__(self, error: str, description: str, *, http_status: int = 400) -> None:
        super().__init__(description)
        self.error = error
        self.http_status = http_status


class InvalidPresentationChoice(MicrocredError):
    """What a holder chose to present does not answer the request the way it allows
    (a credential not offered for that query, two where one was asked, a required part left)."""

    code = "invalid-presentation-choice"


class InvalidStackingRules(MicrocredError):
    """Stacking rules that cannot be used as written; ``path`` names the node or field at fault
    (``root.children[2].where.eqf_min``), ``code`` says what kind of problem it is."""

    code = "invalid-stacking-rules"

    def __init__(self, message: str, *, path: str, code: str | None = None) -> None:
        super().__init__(f"{path}: {message}", code=code)
        self.path = path


class InvalidTransition(MicrocredError):
    """An event a recognition or validation case cannot take in its current state (a decision
    on a closed case, an appeal before any decision)."""

    code = "invalid-case-transition"
    http_status = 409


class InvalidCaseEvent(MicrocredError):
    """An event whose content is incomplete or contradictory (a criterion scored twice, a
    refusal that states no substantial difference, a partial recognition granting nothing)."""

    code = "invalid-case-event"
    http_status = 422


class EvidenceRejected(MicrocredError):
    """An evidence file refused before it is kept: empty, or its content is not its type."""

    code = "evidence-rejected"
    http_status = 422


class EvidenceTooLarge(EvidenceRejected):
    """An evidence file larger than a validation case accepts per file."""

    code = "evidence-too-large"
    http_status = 413


class EvidenceTypeNotAccepted(EvidenceRejected):
    """An evidence file of a media type a validation case does not accept."""

    code = "evidence-type-not-accepted"
    http_status = 415
