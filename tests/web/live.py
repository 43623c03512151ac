"""The whole platform (create_app) served by uvicorn on 127.0.0.1, on a temporary SQLite file."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import uvicorn
from fastapi import FastAPI

from microcred.app import create_app
from microcred.bootstrap import Platform
from microcred.config import Settings
from microcred.services import demo
from microcred.services.context import SYSTEM
from microcred.services.learner import demo as learner_demo


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Live:
    """A running platform: its base URL, app and platform object."""

    base: str
    app: FastAPI
    platform: Platform


@contextmanager
def live_platform(tmp: Path, *, seed: bool = True) -> Iterator[Live]:
    """Migrate, seed the demo data (providers, courses, credentials, web accounts), serve."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    settings = Settings(data_dir=tmp, secret_key="live-test-secret", public_url=base,
                        batch_workers=1)  # fmt: skip
    app = create_app(settings)
    platform: Platform = app.state.platform
    platform.upgrade()
    if seed:
        with platform.unit_of_work(SYSTEM) as ctx:
            demo.seed(ctx)
        with platform.unit_of_work(SYSTEM) as ctx:
            issued = demo.issued_to(ctx, learner_demo.LEARNER)
        with platform.unit_of_work(SYSTEM) as ctx:
            learner_demo.seed(ctx, issued)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           lifespan="off"))  # fmt: skip
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield Live(base, app, platform)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        platform.dispose()
