"""The list of sub-command modules; each has ``register(subparsers)`` setting ``handler``."""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

COMMAND_MODULES: tuple[str, ...] = (
    "microcred.cli.describe",  # inspect, convert, new
    "microcred.cli.keys_cmd",  # keys new
    "microcred.cli.sign_cmd",  # sign
    "microcred.cli.verify_cmd",  # verify
    "microcred.cli.status_cmd",  # status new|set|clear|show
    "microcred.cli.server",  # serve, demo, db upgrade
    "microcred.cli.operate",  # provider, apikey, opportunity
    "microcred.cli.issuing",  # issue, issue-batch, batch-status, revoke, suspend, reinstate
    "microcred.cli.worker_cmd",  # worker
    "microcred.cli.clr_cmd",  # clr build
    "microcred.cli.catalogue_cmd",  # catalogue search|reindex
    "microcred.cli.guidance_cmd",  # guidance
    "microcred.cli.esco_cmd",  # esco import
    "microcred.cli.stats_cmd",  # stats
    "microcred.cli.account_cmd",  # account create
    "microcred.cli.pathway_cmd",  # pathway publish|evaluate|decide
    "microcred.cli.recognition_cmd",  # recognition submit|show|assess|decide|appeal|letter
    "microcred.cli.validation_cmd",  # validation open|evidence|assess|certify|show
)


def modules() -> list[ModuleType]:
    return [import_module(name) for name in COMMAND_MODULES]
