"""How CLI commands get the platform: settings from the environment, an operator actor."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from microcred.cli.output import UsageError
from microcred.config import Settings
from microcred.services.context import Actor, Context, Role
from microcred.services.runtime import Platform

OPERATOR = Actor("cli", Role.PLATFORM_ADMIN)


def settings() -> Settings:
    """Environment settings; without MICROCRED_SECRET_KEY, a key kept in the data dir."""
    return Settings.from_env(os.environ).with_stored_secret()


@contextmanager
def platform(upgrade: bool = False) -> Iterator[Platform]:
    """The platform for one command; its connections are closed at the end."""
    made = Platform(settings())
    try:
        if upgrade:
            made.upgrade()
        elif not made.schema_is_current():
            where = made.engine.url.render_as_string(hide_password=True)
            raise UsageError(f"the database {where} is not set up: run `microcred db upgrade`")
        yield made
    finally:
        made.dispose()


@contextmanager
def operator() -> Iterator[Context]:
    """A platform-admin context for one command."""
    with platform() as made, made.context(OPERATOR) as ctx:
        yield ctx
