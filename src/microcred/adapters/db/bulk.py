"""Many rows in one go: ``COPY ... FROM STDIN`` on PostgreSQL, a multi-row INSERT elsewhere.

Batch issuance stores a chunk of credentials (several KB each) at a time; COPY sends them in
one stream with no statement per row, and the column types' bind processing still applies.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import psycopg
from psycopg import sql
from sqlalchemy import Table, bindparam, insert, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase, Session


def insert_rows(
    session: Session, model: type[DeclarativeBase], rows: Sequence[dict[str, Any]]
) -> None:
    """Insert ``rows`` (dicts with the same keys) into ``model``'s table, in the session's
    transaction; a unique or foreign key violation raises as the INSERT would."""
    if not rows:
        return
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        session.execute(insert(model), list(rows))
        return
    table = _table(model)
    names = list(rows[0])
    processors: list[Callable[[Any], Any] | None] = [
        table.c[name].type.bind_processor(connection.dialect) for name in names
    ]
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table.name),
        sql.SQL(", ").join(sql.Identifier(name) for name in names),
    )
    session.flush()
    raw = connection.connection.driver_connection
    assert raw is not None
    try:
        with raw.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row([
                    process(row[name]) if process else row[name]
                    for name, process in zip(names, processors, strict=True)
                ])  # fmt: skip
    except psycopg.IntegrityError as exc:  # as SQLAlchemy reports it for an INSERT
        raise IntegrityError(statement.as_string(raw), None, exc) from exc


def update_rows(
    session: Session,
    model: type[DeclarativeBase],
    key: str,
    rows: Sequence[dict[str, Any]],
    only_if: dict[str, Any],
) -> int:
    """Set columns of the rows whose ``key`` column matches (one statement, executed for
    every row in one round trip), where ``only_if`` columns hold the values given; how many
    rows changed."""
    if not rows:
        return 0
    table = _table(model)
    columns = table.c
    names = [name for name in rows[0] if name != key]
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        return _update_from_arrays(session, table, key, names, rows, only_if)
    query = update(table).where(columns[key] == bindparam(f"_{key}"))
    for name, value in only_if.items():
        query = query.where(columns[name] == value)
    query = query.values({name: bindparam(f"_{name}") for name in names})
    params = [{f"_{name}": value for name, value in row.items()} for row in rows]
    result = session.connection().execute(query, params)
    return int(result.rowcount)


def _update_from_arrays(
    session: Session,
    table: Table,
    key: str,
    names: list[str],
    rows: Sequence[dict[str, Any]],
    only_if: dict[str, Any],
) -> int:
    """PostgreSQL: one UPDATE ... FROM unnest() of one array per column (one statement to
    parse and plan, not one per row)."""
    connection = session.connection()
    dialect = connection.dialect
    every = [key, *names]
    arrays = []
    for name in every:
        process = table.c[name].type.bind_processor(dialect)
        arrays.append([process(row[name]) if process else row[name] for row in rows])
    types = [sql.SQL(table.c[name].type.compile(dialect=dialect) + "[]") for name in every]
    statement = sql.SQL("UPDATE {t} SET {sets} FROM unnest({arrays}) AS v({names}) "
                        "WHERE {t}.{key} = v.{key}{conditions}").format(
        t=sql.Identifier(table.name),
        sets=sql.SQL(", ").join(
            sql.SQL("{} = v.{}").format(sql.Identifier(n), sql.Identifier(n)) for n in names
        ),
        arrays=sql.SQL(", ").join(sql.SQL("{}::{}").format(sql.Placeholder(), t) for t in types),
        names=sql.SQL(", ").join(sql.Identifier(n) for n in every),
        key=sql.Identifier(key),
        conditions=sql.SQL("").join(
            sql.SQL(" AND {}.{} = {}").format(sql.Identifier(table.name), sql.Identifier(n),
                                              sql.Placeholder())
            for n in only_if
        ),
    )  # fmt: skip
    session.flush()
    raw = connection.connection.driver_connection
    assert raw is not None
    with raw.cursor() as cursor:
        cursor.execute(statement, [*arrays, *only_if.values()])
        return int(cursor.rowcount)


def _table(model: type[DeclarativeBase]) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table
