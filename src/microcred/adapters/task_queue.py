"""procrastinate, the PostgreSQL task engine batch chunks run on: its app, and deferring jobs
inside the caller's transaction (the jobs exist exactly when the batch's dispatch commits).

Its schema is applied by our migrations (``0014``); procrastinate is pinned to the minor
version whose schema that migration applies (an upgrade brings its own migration files into
a migration of ours).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import procrastinate
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

BATCH_CHUNK_TASK = "microcred.batch_chunk"
RETRY_STALLED_TASK = "microcred.retry_stalled_jobs"
BATCH_QUEUE = "batches"


def conninfo(database_url: str) -> str:
    """The libpq address of a SQLAlchemy PostgreSQL URL (``postgresql+psycopg://...``)."""
    return make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)


def new_app(database_url: str) -> procrastinate.App:
    """An app on the platform's PostgreSQL database; tasks are registered by the caller."""
    connector = procrastinate.PsycopgConnector(conninfo=conninfo(database_url))
    return procrastinate.App(connector=connector)


def defer_in(session: Session, app: procrastinate.App, task: str,
             jobs: Iterable[dict[str, Any]]) -> int:  # fmt: skip
    """Defer one ``task`` job per argument dict on the session's own connection (same
    transaction: rolled back with it); how many."""
    arguments = list(jobs)
    if not arguments:
        return 0
    connection = session.connection().connection.driver_connection
    deferrer = app.configure_task(task, queue=BATCH_QUEUE, connection=connection)
    return len(deferrer.batch_defer(*arguments))


def live_workers(session: Session, within: float) -> int:
    """Workers that sent a heartbeat in the last ``within`` seconds."""
    query = text(
        "SELECT count(*) FROM procrastinate_workers "
        "WHERE last_heartbeat > now() - make_interval(secs => :within)"
    )
    return int(session.execute(query, {"within": within}).scalar_one())
