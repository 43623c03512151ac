"""How CLI commands get the platform: settings from the environment, an operator actor."""

from __future__ import annotations

import os

from microcred.config import Settings
from microcred.services.context import Actor, Role
from microcred.services.runtime import Platform

OPERATOR = Actor("cli", Role.PLATFORM_ADMIN)


def settings() -> Settings:
    """Environment settings; without MICROCRED_SECRET_KEY, a key kept in the data dir."""
    return Settings.from_env(os.environ).with_stored_secret()


def platform(upgrade: bool = False) -> Platform:
    made = Platform(settings())
    if upgrade:
        made.upgrade()
    return made
