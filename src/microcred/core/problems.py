"""RFC 9457 problem details as data: one shape, type URI and code list for every JSON error the
platform answers (the API's and the web pages' JSON routes alike); each edge wraps the body in
its framework's response."""

from __future__ import annotations

from typing import Any

PROBLEM_TYPE = "https://w3id.org/microcred/problems/"
MEDIA_TYPE = "application/problem+json"
CODE_OF_STATUS = {400: "bad-request", 401: "unauthenticated", 403: "forbidden",
                  404: "not-found", 405: "method-not-allowed", 406: "not-acceptable",
                  409: "conflict", 413: "input-too-large", 415: "unsupported-media-type",
                  422: "invalid-input"}  # fmt: skip


def problem_body(status: int, code: str, detail: str, **extra: Any) -> dict[str, Any]:
    """``type`` (PROBLEM_TYPE + code), ``title``, ``status``, ``detail``, ``code``, then
    ``extra`` members (``errors``; an OAuth endpoint's ``error`` and ``error_description``)."""
    body: dict[str, Any] = {"type": PROBLEM_TYPE + code, "title": code.replace("-", " "),
                            "status": status, "detail": detail, "code": code}  # fmt: skip
    body.update(extra)
    return body
