"""``microcred serve``, ``microcred demo`` and ``microcred db upgrade``."""

from __future__ import annotations

import argparse
import json
import os
import socket
import sys
import threading
import time
from pathlib import Path

from microcred.bootstrap import Platform
from microcred.cli.output import UsageError, print_json
from microcred.cli.runtime import OPERATOR, platform
from microcred.services import demo
from microcred.services.learner import demo as learner_demo

DEMO_KEYS = "demo-keys.json"
DEMO_VERIFY_REQUEST = "demo-verify-request.json"


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("serve", help="run the HTTP API")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    p.add_argument("--workers", type=int, default=1,
                   help="server processes sharing the port (default 1; one per core)")  # fmt: skip
    p.set_defaults(handler=run_serve)
    p = sub.add_parser("demo", help="create the SQLite database, seed demo data once, serve")
    p.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    p.add_argument("--no-serve", action="store_true", help="seed and print, do not serve")
    p.set_defaults(handler=run_demo)
    p = sub.add_parser("db", help="database maintenance")
    db = p.add_subparsers(dest="db_command", required=True)
    up = db.add_parser("upgrade", help="create or upgrade the schema (Alembic migrations)")
    up.add_argument("--json", action="store_true", help="print one JSON object")
    up.set_defaults(handler=run_upgrade)


def run_upgrade(args: argparse.Namespace) -> int:
    with platform(upgrade=True) as made:
        url = made.database
    if args.json:
        print_json({"database": url, "upgraded": True})
    else:
        print(f"database {url} is up to date")
    return 0


def _serve(host: str, port: int, public_url: str | None = None, workers: int = 1) -> None:
    """Serve the site at the address every entry point derives (``Settings.site_url``)."""
    import uvicorn

    from microcred.app import create_app

    with platform(public_url=public_url) as checked:  # refuses another site's database
        configured = checked.settings
    site = configured.site_url()
    if site != f"http://{host}:{port}":
        print(f"microcred: serving on http://{host}:{port} as the site {site} "
              "(MICROCRED_PUBLIC_URL)", file=sys.stderr)  # fmt: skip
    if workers <= 1:
        uvicorn.run(create_app(configured), host=host, port=port, log_level="info")
        return
    # each process builds its own app from the environment: give it the checked settings
    os.environ["MICROCRED_PUBLIC_URL"] = site
    os.environ["MICROCRED_DATA_DIR"] = str(configured.data_dir)
    os.environ["MICROCRED_DATABASE_URL"] = configured.effective_database_url
    # no access log: at log level warning uvicorn would still build each line's arguments
    # (client address, quoted path) for a logger that drops them (issue 10: the verify route)
    uvicorn.run("microcred.app:app_from_env", factory=True, host=host, port=port,
                workers=workers, log_level="warning", access_log=False)  # fmt: skip


def run_serve(args: argparse.Namespace) -> int:
    if not 1 <= args.workers <= 64:
        raise UsageError("--workers: between 1 and 64 server processes")
    _serve(args.host, args.port, workers=args.workers)
    return 0


def run_demo(args: argparse.Namespace) -> int:
    base = f"http://127.0.0.1:{args.port}"  # the demo is its own site, on localhost
    with platform(upgrade=True, public_url=base) as made:
        keys_file = made.settings.data_dir / DEMO_KEYS
        _seed(made, keys_file)
        with made.unit_of_work(OPERATOR) as ctx:
            issued = demo.issued_to(ctx, learner_demo.LEARNER)
            learner_demo.seed(ctx, issued)  # demo provider users and a learner wallet
        request = _write_verify_request(made)
    tokens = json.loads(keys_file.read_text("utf-8")) if keys_file.exists() else {}
    if args.no_serve:
        print(f"microcred demo is seeded: run `microcred serve --port {args.port}`, then open "
              f"{base}/courses" + demo_text(base, tokens, request), flush=True)  # fmt: skip
        return 0
    banner = f"microcred demo is ready: open {base}/courses" + demo_text(base, tokens, request)
    announce_when_listening("127.0.0.1", args.port, banner)  # "ready" only once it answers
    _serve("127.0.0.1", args.port, public_url=base)
    return 0


def wait_until_listening(host: str, port: int, timeout: float) -> bool:
    """Poll until something accepts connections on ``host:port``; False after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return True
        except OSError:
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.1)


def announce_when_listening(host: str, port: int, text: str, timeout: float = 120.0) -> None:
    """Print ``text`` from a background thread once the port listens (never if it does not)."""

    def announce() -> None:
        if wait_until_listening(host, port, timeout):
            print(text, flush=True)

    threading.Thread(target=announce, name="demo-ready", daemon=True).start()


def _seed(made: Platform, keys_file: Path) -> None:
    with made.unit_of_work(OPERATOR) as ctx:
        if not demo.seeded(ctx):
            print("seeding the demo data (two providers, courses, learners)...", file=sys.stderr)
            keys_file.write_text(json.dumps(demo.seed(ctx), indent=2), encoding="utf-8")
            keys_file.chmod(0o600)


def _write_verify_request(made: Platform) -> Path:
    """A VC-API verify request body holding an active demo credential, for the curl example."""
    path = made.settings.data_dir / DEMO_VERIFY_REQUEST
    with made.unit_of_work(OPERATOR) as ctx:
        body = demo.verify_request(ctx)
    if body is not None:
        path.write_text(json.dumps(body, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def demo_text(base: str, tokens: dict[str, str], verify_request: Path) -> str:
    """The demo's URLs, sign-ins, example curls and API keys (after the first line)."""
    admin = tokens.get("unibuc", "<provider key>")
    return f"""

  catalogue        {base}/courses
  verifier         {base}/verify
  learner wallet   {base}/wallet      (ana.popescu@example.org / demo-learner)
  provider pages   {base}/provider    (staff@unibuc.example / demo-provider)
  recognition      {base}/recognition (recognition@unibuc.example / demo-provider)
  assessor         {base}/assessor    (assessor@lycee-jean-moulin.example / demo-provider)
  national stats   {base}/authority/statistics (statistics@authority.example / demo-statistics)
  API reference    {base}/docs

  curl {base}/catalogue?country=RO
  curl {base}/providers/unibuc/did.json
  curl {base}/status-lists/unibuc/revocation/0
  export UNIBUC_KEY={admin}
  curl -H "Authorization: Bearer $UNIBUC_KEY" {base}/providers/1/credentials
  curl -X POST -H 'Content-Type: application/json' \\
       --data @{verify_request} {base}/credentials/verify

API keys (kept in the data directory): {", ".join(f"{k}={v}" for k, v in tokens.items())}
"""
