"""The list of sub-command modules; each has ``register(subparsers)`` setting ``handler``."""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

COMMAND_MODULES: tuple[str, ...] = (
    "microcred.cli.describe",  # inspect, convert, new
)


def modules() -> list[ModuleType]:
    return [import_module(name) for name in COMMAND_MODULES]
