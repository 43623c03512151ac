"""Load on ``POST /credentials/verify``: requests per second, p50 / p99 latency and errors, for
several server processes on one machine (loopback, bounded: a fixed number of requests).

Starts ``microcred serve --workers W`` on a temporary SQLite database, signs distinct OB 3.0
micro-credentials with a ``did:key`` (no network needed to verify them), then sends them from
``C`` concurrent keep-alive connections. The client is a few lines of asyncio speaking HTTP/1.1
over raw sockets (an HTTP library would cost the shared cores more than the server does), run in
``--client-processes`` processes. Besides wall-clock rates, it prints the CPU time the server
processes used per request (read from ``/proc``): on a shared machine that figure moves much
less than requests per second; and how that CPU time was split between the server processes
(each keep-alive connection stays with the process that accepted it, so a lopsided split caps
requests per second). Issue 10's target: >= 1,000 requests/s on 2 cores, zero errors.

    PYTHONPATH=src .venv/bin/python bench/verify_load.py --workers 2 --requests 4000
    PYTHONPATH=src .venv/bin/python bench/verify_load.py --suite eddsa-jcs-2022
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
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
Outcome = tuple[list[float], list[bytes]]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start(workers: int, folder: Path) -> tuple[subprocess.Popen[bytes], int]:
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
    deadline = time.monotonic() + 180  # a loaded machine starts several processes slowly
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return server, port
        except httpx.HTTPError:
            time.sleep(0.2)
    os.killpg(server.pid, 9)  # the server and the processes it started (its own session)
    raise SystemExit("the server did not start within 180 s")


def session_cpu(session: int) -> dict[int, float]:
    """CPU seconds (user + system) of every live process in ``session`` (the server and its
    workers), by process id."""
    tick = os.sysconf("SC_CLK_TCK")
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if int(fields[3]) == session:  # fields after the name: state ppid pgrp session ...
            found[int(entry.name)] = (int(fields[11]) + int(fields[12])) / tick
    return found


def request_bytes(port: int, body: bytes) -> bytes:
    head = (f"POST /credentials/verify HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n")  # fmt: skip
    return head.encode("ascii") + body


async def _connection(port: int, requests: list[bytes], timings: list[float],
                      errors: list[bytes]) -> None:  # fmt: skip
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    for request in requests:
        started = time.perf_counter()
        writer.write(request)
        head = await reader.readuntil(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n"):
            if line[:15].lower() == b"content-length:":
                length = int(line[15:])
        body = await reader.readexactly(length)
        timings.append(time.perf_counter() - started)
        if not head.startswith(b"HTTP/1.1 200") or json.loads(body).get("errors"):
            errors.append(head.split(b"\r\n", 1)[0] + b" " + body[:200])
    writer.close()


async def _load(port: int, requests: list[bytes], connections: int) -> Outcome:
    timings: list[float] = []
    errors: list[bytes] = []
    shares = [requests[i::connections] for i in range(connections)]
    await asyncio.gather(*(_connection(port, share, timings, errors) for share in shares if share))
    return timings, errors


def client_process(job: tuple[int, list[bytes], int]) -> Outcome:
    return asyncio.run(_load(*job))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2, help="server processes (2)")
    parser.add_argument("--clients", type=int, default=32, help="concurrent connections (32)")
    parser.add_argument("--client-processes", type=int, default=1,
                        help="processes the connections are spread over (1)")  # fmt: skip
    parser.add_argument("--requests", type=int, default=4000, help="requests in all (4000)")
    parser.add_argument("--suite", default=DEFAULT_SUITE, choices=signing_suites(),
                        help="cryptosuite of the credentials (eddsa-rdfc-2022)")  # fmt: skip
    args = parser.parse_args()
    key = KeyPair.generate()
    documents = credentials(min(args.requests, 500), key.public.did_key)
    signed = [sign_document(d, key, key.public.did_key_vm, args.suite, created=NOW)
              for d in documents]  # fmt: skip
    bodies = [json.dumps({"verifiableCredential": s}).encode("utf-8") for s in signed]
    with tempfile.TemporaryDirectory() as folder:
        server, port = start(args.workers, Path(folder))
        try:
            work = [request_bytes(port, bodies[i % len(bodies)]) for i in range(args.requests)]
            asyncio.run(_load(port, work[: args.clients * 2], args.clients))  # warm every worker
            parts = max(1, args.client_processes)
            jobs = [(port, work[i::parts], max(1, args.clients // parts)) for i in range(parts)]
            before, started = session_cpu(server.pid), time.perf_counter()
            with multiprocessing.get_context("fork").Pool(parts) as pool:
                outcomes = pool.map(client_process, jobs)
            elapsed = time.perf_counter() - started
            used = {pid: t - before.get(pid, 0.0) for pid, t in session_cpu(server.pid).items()}
            cpu = sum(used.values())
        finally:
            os.killpg(server.pid, 15)
            server.wait(timeout=30)
    timings = sorted(t for outcome in outcomes for t in outcome[0])
    errors = [e for outcome in outcomes for e in outcome[1]]
    p99 = timings[max(0, int(len(timings) * 0.99) - 1)]
    p50 = statistics.median(timings)
    print(f"{args.suite}, {args.workers} server processes, {args.clients} connections "
          f"from {parts} client process(es): {len(timings) / elapsed:,.0f} requests/s, "
          f"p50 {p50 * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms, errors {len(errors)} of "
          f"{len(timings)}; server CPU {cpu / len(timings) * 1000:.2f} ms a request "
          f"({len(timings) / cpu:,.0f} requests per server CPU second); "
          f"load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    # keep-alive connections stay with the process that accepted them: when one process took
    # most of them, the others idle and requests/s measures that split, not the server
    split = sorted((t for t in used.values() if t >= 0.05), reverse=True)
    print("  CPU seconds by server process: " + ", ".join(f"{t:.1f}" for t in split))
    for error in errors[:3]:
        print("  error:", error.decode("utf-8", "replace"))


if __name__ == "__main__":
    main()
