"""Read a batch of learners from CSV or JSON; a bad row is reported by line, never fatal."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from microcred.core.errors import MicrocredError
from microcred.core.formats.reading import parse_json
from microcred.services.errors import InvalidInput
from microcred.services.issuance import LearnerIn

MAX_ROWS = 100_000
COLUMNS = {"name", "email", "id", "identifier", "grade", "date"}


@dataclass(frozen=True)
class Row:
    """One input row: a learner with grade and date, or the reason it cannot be used."""

    line: int
    learner: LearnerIn | None = None
    grade: str | None = None
    date: dt.date | None = None
    error: str | None = None


def _row(line: int, record: dict[str, Any]) -> Row:
    unknown = set(record) - COLUMNS
    if unknown:
        return Row(line, error=f"unknown field(s): {', '.join(sorted(map(str, unknown)))}")
    values = {k: (str(v).strip() if v is not None else "") for k, v in record.items()}
    try:
        learner = LearnerIn(name=values.get("name") or None, email=values.get("email") or None,
                            id=values.get("id") or values.get("identifier") or None)  # fmt: skip
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(map(str, first["loc"])) or "learner"
        return Row(line, error=f"{where}: {first['msg']}")
    day = None
    if values.get("date"):
        try:
            day = dt.date.fromisoformat(values["date"][:10])
        except ValueError:
            return Row(line, error=f"date: {values['date']!r} is not a date such as 2026-06-30")
    grade = values.get("grade") or None
    if grade is not None and len(grade) > 200:
        return Row(line, error="grade: longer than 200 characters")
    return Row(line, learner, grade, day)


def read_csv(text: str) -> list[Row]:
    """Rows of a CSV with a header (name, email, id or identifier, grade, date)."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = {h.strip().lower() for h in (reader.fieldnames or [])}
    if not header & {"name", "email", "id", "identifier"}:
        raise InvalidInput("the CSV header needs a name, email, id or identifier column",
                           field="file")  # fmt: skip
    rows: list[Row] = []
    try:
        for record in reader:
            if len(rows) >= MAX_ROWS:
                raise InvalidInput(f"more than {MAX_ROWS:,} rows", field="file")
            if None in record:
                rows.append(Row(reader.line_num, error="more values than header columns"))
                continue
            cleaned = {k.strip().lower(): v for k, v in record.items() if k}
            if not any((v or "").strip() for v in cleaned.values()):
                continue
            rows.append(_row(reader.line_num, cleaned))
    except csv.Error as exc:
        rows.append(Row(reader.line_num, error=f"unreadable CSV: {exc}"))
    return rows


def read_json(text: str) -> list[Row]:
    """Rows of a JSON array of objects (line = position in the array, from 1)."""
    try:
        value = parse_json(text)  # strict: a repeated key or NaN is refused, not guessed at
    except MicrocredError as exc:
        raise InvalidInput(f"not JSON: {exc.message}", field="file") from None
    if isinstance(value, dict) and isinstance(value.get("learners"), list):
        value = value["learners"]
    if not isinstance(value, list):
        raise InvalidInput("expected a JSON array of learners", field="file")
    if len(value) > MAX_ROWS:
        raise InvalidInput(f"more than {MAX_ROWS:,} rows", field="file")
    return [
        _row(n, item) if isinstance(item, dict) else Row(n, error="not a JSON object")
        for n, item in enumerate(value, start=1)
    ]


def read_rows(text: str, kind: str) -> list[Row]:
    """CSV or JSON by ``kind`` (``csv``/``json``, or a media type)."""
    return read_json(text) if "json" in kind else read_csv(text)
