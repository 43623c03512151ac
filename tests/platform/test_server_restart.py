"""A real ``microcred serve`` process: it resumes a batch a dead server left running."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from microcred.bootstrap import Platform
from microcred.config import Settings
from microcred.services import apikeys, batches, opportunities, providers
from microcred.services.batch_input import read_csv
from microcred.services.context import SYSTEM
from tests.platform.samples import opportunity_in, provider_in


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _stalled_batch(platform: Platform) -> tuple[str, str]:
    """A batch marked running by a server that died (its lease long expired)."""
    with platform.unit_of_work(SYSTEM) as ctx:
        provider = providers.register(ctx, provider_in())
        row = opportunities.create(ctx, provider.id, opportunity_in())
        opportunities.publish(ctx, row.id)
        rows = read_csv("name,email\n" + "\n".join(f"L{n},l{n}@x.eu" for n in range(30)))
        batch = batches.create(ctx, row.id, rows)
        batch.state, batch.lease_owner = "running", "dead-server"
        token = apikeys.create(ctx, "read-only", provider.id, "watcher").token
        return batch.id, token


@pytest.mark.slow
def test_serve_resumes_stalled_batch(
    platform: Platform, settings: Settings, tmp_path: Path
) -> None:
    batch_id, token = _stalled_batch(platform)
    port = _free_port()
    env = {**os.environ, "MICROCRED_DATABASE_URL": settings.effective_database_url,
           "MICROCRED_SECRET_KEY": settings.secret_key, "MICROCRED_DATA_DIR": str(tmp_path),
           "MICROCRED_PUBLIC_URL": settings.public_url,
           "MICROCRED_BATCH_RUNNER": settings.batch_runner}  # fmt: skip
    server = subprocess.Popen([sys.executable, "-m", "microcred.cli.main", "serve", "--port",
                               str(port)], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        state, deadline = None, time.monotonic() + 120
        with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
            while state != "done" and time.monotonic() < deadline:
                time.sleep(0.5)
                try:
                    reply = client.get(f"/batches/{batch_id}",
                                       headers={"Authorization": f"Bearer {token}"})  # fmt: skip
                except httpx.TransportError:
                    continue
                state = reply.json()["state"]
                issued = reply.json()["issued"]
            assert (state, issued) == ("done", 30)
            assert client.get("/providers/unibuc/did.json").status_code == 200
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
