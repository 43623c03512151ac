"""RFC 9457 problem details: every error the API returns, with a stable ``code``."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import DataError, IntegrityError
from starlette.exceptions import HTTPException

from microcred.core.errors import MalformedCredential, MicrocredError
from microcred.core.problems import CODE_OF_STATUS, MEDIA_TYPE, PROBLEM_TYPE, problem_body
from microcred.services.errors import InvalidInput, MalformedBody

__all__ = ["CODE_OF_STATUS", "MEDIA_TYPE", "PROBLEM_TYPE", "problem"]


class FieldError(BaseModel):
    field: str
    message: str


class Problem(BaseModel):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str
    code: str
    errors: list[FieldError] = []


PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": Problem, "content": {MEDIA_TYPE: {}}, "description": code}
    for status, code in {400: "bad request", 401: "no or unknown API key",
                         403: "not allowed", 404: "not found", 409: "conflict",
                         413: "request too large", 422: "invalid input"}.items()
}  # fmt: skip


def problem(status: int, code: str, detail: str,
            errors: list[dict[str, str]] | None = None) -> JSONResponse:  # fmt: skip
    """A problem+json response."""
    body = problem_body(status, code, detail, **({"errors": errors} if errors else {}))
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def _field(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("body", "query", "path", "header"):
        parts = parts[1:] or parts
    return ".".join(parts)


JSON_KINDS = {"dict_type": "a JSON object", "model_type": "a JSON object",
              "model_attributes_type": "a JSON object", "list_type": "a JSON array"}  # fmt: skip


def _unreadable_body(errors: list[Any]) -> str | None:
    """Why the body as a whole cannot be read (empty, not JSON, the wrong JSON shape), or None
    when the errors are about fields inside it."""
    for error in errors:
        loc, kind = tuple(error.get("loc", ())), error.get("type")
        if kind == "json_invalid":
            return "the body is not valid JSON"
        if loc != ("body",):
            continue
        if kind == "missing":
            return "the body is empty: this route reads a JSON body (application/json)"
        if isinstance(error.get("input"), bytes):
            return "the body is not JSON: send it as application/json"
        if kind in JSON_KINDS:
            return f"the body must be {JSON_KINDS[kind]}, not {_json_kind(error.get('input'))}"
    return None


def _json_kind(value: Any) -> str:
    kinds = ((bool, "true or false"), (int | float, "a number"), (str, "a string"),
             (list, "an array"))  # fmt: skip
    return next((name for kind, name in kinds if isinstance(value, kind)), "null")


async def _validation(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    unreadable = _unreadable_body(list(exc.errors()))
    if unreadable is not None:
        return problem(
            MalformedBody.http_status,
            MalformedBody.code,
            unreadable,
            [{"field": "body", "message": unreadable}],
        )
    errors = [{"field": _field(e.get("loc", ())), "message": str(e.get("msg", ""))}
              for e in exc.errors()]  # fmt: skip
    first = errors[0] if errors else {"field": "", "message": "invalid request"}
    detail = f"{first['field']}: {first['message']}" if first["field"] else first["message"]
    return problem(422, "invalid-input", detail, errors)


async def _microcred(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, MicrocredError)
    status = exc.http_status  # each class carries its own (core/errors.py, services/errors.py)
    field = getattr(exc, "field", None)
    errors = [{"field": field, "message": exc.message}] if field else None
    if isinstance(exc, MalformedCredential):  # every problem, each at its JSON path
        errors = [{"field": path, "message": text} for path, text in exc.problems]
    return problem(status, exc.code, exc.message, errors)


async def _http(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    code = CODE_OF_STATUS.get(exc.status_code, "http-error")
    return problem(exc.status_code, code, str(exc.detail))


async def _data(_: Request, exc: Exception) -> JSONResponse:
    return problem(422, "invalid-input", "a value cannot be stored (out of range or bad text)")


async def _integrity(_: Request, exc: Exception) -> JSONResponse:
    return problem(
        409, "conflict", "the change clashes with stored data (a missing or duplicate record)"
    )


def install(app: FastAPI) -> None:
    """Route every error through problem+json."""
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(MicrocredError, _microcred)
    app.add_exception_handler(HTTPException, _http)
    app.add_exception_handler(DataError, _data)
    app.add_exception_handler(IntegrityError, _integrity)


def invalid(field: str, message: str) -> InvalidInput:
    return InvalidInput(message, field=field)
