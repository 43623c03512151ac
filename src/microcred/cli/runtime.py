"""How CLI commands get the platform: settings from the environment, an operator actor."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

from microcred.bootstrap import Platform
from microcred.cli.output import UsageError
from microcred.config import Settings
from microcred.services.context import Actor, Context, Role

OPERATOR = Actor("cli", Role.PLATFORM_ADMIN)


def settings() -> Settings:
    """Environment settings; without MICROCRED_SECRET_KEY, a key kept in the data dir."""
    return Settings.from_env(os.environ).with_stored_secret()


@contextmanager
def platform(upgrade: bool = False, public_url: str | None = None) -> Iterator[Platform]:
    """The platform for one command (``public_url``: the demo's own address); its connections
    are closed at the end. A database made for another site address is refused."""
    configured = settings()
    made = Platform(replace(configured, public_url=public_url) if public_url else configured)
    try:
        if upgrade:
            made.upgrade()
        elif not made.schema_is_current():
            where = made.database
            raise UsageError(f"the database {where} is not set up: run `microcred db upgrade`")
        else:
            made.confirm_site()
        yield made
    finally:
        made.dispose()


@contextmanager
def operator() -> Iterator[Context]:
    """A platform-admin unit of work for one command: committed when the command ends, rolled
    back when it fails."""
    with platform() as made, made.unit_of_work(OPERATOR) as ctx:
        yield ctx
