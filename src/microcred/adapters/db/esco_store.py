"""Imported ESCO data in the database (table ``esco_entries``): one row per skill, occupation and
broader-links entry, plus a generation counter that tells readers when to reload."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.engine import Connection

from microcred.adapters.db.tables import EscoEntry
from microcred.core.esco import EscoData, esco_from_json, occupation_json, skill_json

GENERATION = ("urn:microcred:esco-generation", "meta")


def generation(connection: Connection) -> int:
    """How many imports the stored data has been through (0: none, the packaged subset only)."""
    uri, kind = GENERATION
    row = connection.execute(
        select(EscoEntry.body).where(EscoEntry.uri == uri, EscoEntry.kind == kind)
    ).first()
    return int(row[0]["generation"]) if row else 0


def load(connection: Connection) -> EscoData:
    """Everything imported so far (empty data when nothing was)."""
    found: dict[str, list[Any]] = {"skills": [], "occupations": [], "broader": []}
    for kind, body in connection.execute(select(EscoEntry.kind, EscoEntry.body)):
        if kind == "skill":
            found["skills"].append(body)
        elif kind == "occupation":
            found["occupations"].append(body)
        elif kind == "broader":
            found["broader"].append(body)
    return esco_from_json(found)


def replace(connection: Connection, data: EscoData) -> int:
    """Store ``data`` in place of what was imported before; the new generation."""
    following = generation(connection) + 1
    connection.execute(delete(EscoEntry))
    rows = [{"uri": s.uri, "kind": "skill", "body": skill_json(s)} for s in data.skills.values()]
    rows += [{"uri": o.uri, "kind": "occupation", "body": occupation_json(o)}
             for o in data.occupations.values()]  # fmt: skip
    rows += [{"uri": uri, "kind": "broader", "body": {"concept": uri, "broader": list(up)}}
             for uri, up in data.broader.items()]  # fmt: skip
    rows.append({"uri": GENERATION[0], "kind": GENERATION[1], "body": {"generation": following}})
    for start in range(0, len(rows), 5000):
        connection.execute(insert(EscoEntry), rows[start : start + 5000])
    return following
