"""Service tests use the platform fixtures (both databases)."""

from tests.platform.fixtures import *  # noqa: F403
