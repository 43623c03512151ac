"""Service tests share the platform fixtures (both databases)."""

from __future__ import annotations

from tests.platform.conftest import (  # noqa: F401
    clock,
    ctx,
    database_url,
    platform,
    postgres_url,
    settings,
)
