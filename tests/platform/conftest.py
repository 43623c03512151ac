"""Platform fixtures (both databases), shared with tests/api."""

from tests.platform.fixtures import *  # noqa: F403
