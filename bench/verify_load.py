"""Load on ``POST /credentials/verify``: requests per second, p50 / p99 latency and errors, for
several server processes on one machine (loopback, bounded: a fixed number of requests).

Starts ``microcred serve --workers W`` on a temporary SQLite database, signs distinct OB 3.0
micro-credentials with a ``did:key`` (no network needed to verify them), then sends them from
``C`` concurrent clients (httpx, asyncio) in this process. Issue 10's target: >= 1,000 requests/s
on 2 cores with zero errors. The client shares the machine with the servers, so the figure is a
floor for what the servers can do.

    PYTHONPATH=src .venv/bin/python bench/verify_load.py --workers 2 --requests 4000
    PYTHONPATH=src .venv/bin/python bench/verify_load.py --suite eddsa-jcs-2022
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from microcred.core.keys import KeyPair
from microcred.core.proofs.data_integrity import sign_document
from microcred.core.proofs.registry import DEFAULT_SUITE, signing_suites

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sign_verify import NOW, credentials

CLI = "from microcred.cli.main import main; raise SystemExit(main())"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start(workers: int, folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {**os.environ, "MICROCRED_DATA_DIR": str(folder), "MICROCRED_REMOTE_RESOLUTION": "0",
           "MICROCRED_DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
           "MICROCRED_PUBLIC_URL": f"http://127.0.0.1:{port}"}  # fmt: skip
    subprocess.run([sys.executable, "-c", CLI, "db", "upgrade"], env=env, check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    server = subprocess.Popen(
        [sys.executable, "-c", CLI, "serve", "--port", str(port), "--workers", str(workers)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True)  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                return server, base
        except httpx.HTTPError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the server did not start within 60 s")


async def load(base: str, bodies: list[bytes], clients: int) -> tuple[list[float], int, float]:
    timings: list[float] = []
    errors = 0
    queue: asyncio.Queue[bytes] = asyncio.Queue()
    for body in bodies:
        queue.put_nowait(body)

    async def client(http: httpx.AsyncClient) -> None:
        nonlocal errors
        while not queue.empty():
            body = queue.get_nowait()
            started = time.perf_counter()
            reply = await http.post("/credentials/verify", content=body,
                                    headers={"content-type": "application/json"})  # fmt: skip
            timings.append(time.perf_counter() - started)
            if reply.status_code != 200 or reply.json().get("errors"):
                errors += 1

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as http:
        started = time.perf_counter()
        await asyncio.gather(*(client(http) for _ in range(clients)))
        elapsed = time.perf_counter() - started
    return timings, errors, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2, help="server processes (2)")
    parser.add_argument("--clients", type=int, default=32, help="concurrent clients (32)")
    parser.add_argument("--requests", type=int, default=2000, help="requests in all (2000)")
    parser.add_argument("--suite", default=DEFAULT_SUITE, choices=signing_suites(),
                        help="cryptosuite of the credentials (eddsa-rdfc-2022)")  # fmt: skip
    args = parser.parse_args()
    key = KeyPair.generate()
    documents = credentials(min(args.requests, 500), key.public.did_key)
    signed = [sign_document(d, key, key.public.did_key_vm, args.suite, created=NOW)
              for d in documents]  # fmt: skip
    bodies = [httpx.Request("POST", "http://x", json={"verifiableCredential": s}).content
              for s in signed]  # fmt: skip
    work = [bodies[i % len(bodies)] for i in range(args.requests)]
    with tempfile.TemporaryDirectory() as folder:
        server, base = start(args.workers, Path(folder))
        try:
            timings, errors, elapsed = asyncio.run(load(base, work, args.clients))
        finally:
            os.killpg(server.pid, 15)
            server.wait(timeout=30)
    timings.sort()
    p99 = timings[max(0, int(len(timings) * 0.99) - 1)]
    p50 = statistics.median(timings)
    print(f"{args.suite}, {args.workers} server processes, {args.clients} clients: "
          f"{len(timings) / elapsed:,.0f} requests/s, p50 {p50 * 1000:.1f} ms, "
          f"p99 {p99 * 1000:.1f} ms, errors {errors} of {len(timings)}")  # fmt: skip


if __name__ == "__main__":
    main()
