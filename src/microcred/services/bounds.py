"""Bounds of the integers that reach the database, checked where input enters.

Primary keys and counters are ``INTEGER`` columns (32-bit on PostgreSQL); SQLite refuses anything
beyond 64 bits with an ``OverflowError``. Every id or count a request, a form or a command line
carries is one of these types, so a number too large for its column is a 4xx naming the field,
never a database error.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

MAX_ROW_ID = 2**31 - 1  # INTEGER on PostgreSQL
MAX_SIGNED_64 = 2**63 - 1

RowId = Annotated[int, Field(ge=1, le=MAX_ROW_ID)]  # ids, versions, numbers counted from 1
Count = Annotated[int, Field(ge=0, le=MAX_ROW_ID)]


def row_id(text: str) -> int:
    """A record id written as text (forms, command lines); ValueError naming the problem."""
    value = text.strip()
    wanted = f"is not a record id (a whole number from 1 to {MAX_ROW_ID})"
    if not value.isascii() or not value.isdigit() or len(value) > len(str(MAX_ROW_ID)):
        raise ValueError(f"{text[:40]!r} {wanted}")
    if not 1 <= int(value) <= MAX_ROW_ID:
        raise ValueError(f"{value} {wanted}")
    return int(value)
