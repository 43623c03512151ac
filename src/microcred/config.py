"""Settings from `MICROCRED_*` environment variables, read by entry points (never at import)."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

import platformdirs

PREFIX = "MICROCRED_"
SECRET_FILE = "secret.key"  # noqa: S105 (a file name)
DB_FILE = "microcred.sqlite3"
BATCH_RUNNERS = ("auto", "inline", "queue")


@dataclass(frozen=True)
class Settings:
    """Everything the platform needs to know about its deployment."""

    data_dir: Path
    database_url: str = ""
    secret_key: str = ""
    public_url: str = "http://127.0.0.1:8000"
    max_body_bytes: int = 2_000_000
    batch_workers: int = 0  # 0 = as many processes as cores, 1 = in-process
    batch_chunk: int = 200
    batch_runner: str = "auto"  # auto = queue on PostgreSQL, inline on SQLite
    remote_resolution: bool = True  # fetch other hosts' did:web and status lists (guarded)
    fetch_timeout: float = 5.0  # seconds for one fetch of another host's document, redirects too
    fetch_max_bytes: int = 1024 * 1024  # largest document fetched from another host
    tsa_url: str = ""  # RFC 3161 time-stamp authority: sealed EDCs become JAdES B-T
    trust_list: str = ""  # EU Trusted List XML file: seal certificates are checked against it
    trust_list_signer: str = ""  # PEM certificate the trust list must be signed with

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Settings:
        """Settings from an environment mapping; unset values take their defaults."""

        def get(name: str, default: str = "") -> str:
            return environ.get(PREFIX + name, default).strip()

        data_dir = Path(get("DATA_DIR") or platformdirs.user_data_dir("microcred"))
        return cls(
            data_dir=data_dir,
            database_url=get("DATABASE_URL"),
            secret_key=get("SECRET_KEY"),
            public_url=get("PUBLIC_URL", cls.public_url).rstrip("/"),
            max_body_bytes=int(get("MAX_BODY_BYTES", str(cls.max_body_bytes))),
            batch_workers=int(get("BATCH_WORKERS", str(cls.batch_workers))),
            batch_chunk=int(get("BATCH_CHUNK", str(cls.batch_chunk))),
            batch_runner=get("BATCH_RUNNER", cls.batch_runner).lower(),
            remote_resolution=get("REMOTE_RESOLUTION", "1").lower() not in ("0", "false", "no"),
            fetch_timeout=float(get("FETCH_TIMEOUT", str(cls.fetch_timeout))),
            fetch_max_bytes=int(get("FETCH_MAX_BYTES", str(cls.fetch_max_bytes))),
            tsa_url=get("TSA_URL"),
            trust_list=get("TRUST_LIST"),
            trust_list_signer=get("TRUST_LIST_SIGNER"),
        )

    def site_url(self) -> str:
        """The site's public address, the one derivation every entry point uses (serve, CLI,
        workers): ``MICROCRED_PUBLIC_URL``, else ``http://127.0.0.1:8000``. DIDs, status list
        URLs and links are built on it, and the database records it (see ``bootstrap``)."""
        return self.public_url.rstrip("/")

    def batches_queued(self) -> bool:
        """Whether batches run as task-queue jobs (``microcred worker`` processes) rather than
        in the process that starts them: ``MICROCRED_BATCH_RUNNER`` = ``queue``, or ``auto``
        (the default) on PostgreSQL; ``inline`` runs them in-process on either database."""
        if self.batch_runner not in BATCH_RUNNERS:
            raise ValueError(f"MICROCRED_BATCH_RUNNER must be one of {', '.join(BATCH_RUNNERS)}")
        postgres = self.effective_database_url.startswith("postgresql")
        if self.batch_runner == "queue" and not postgres:
            raise ValueError("MICROCRED_BATCH_RUNNER=queue needs a PostgreSQL database")
        return self.batch_runner == "queue" or (self.batch_runner == "auto" and postgres)

    @property
    def effective_database_url(self) -> str:
        """The configured URL, or the SQLite file in the data directory."""
        return self.database_url or f"sqlite:///{self.data_dir / DB_FILE}"

    @property
    def host(self) -> str:
        """``host[:port]`` of the public URL, as did:web and status list URLs use it."""
        return urlsplit(self.public_url).netloc

    def with_stored_secret(self) -> Settings:
        """These settings with a secret key: the configured one, else one kept in the data dir.

        The demo uses this: the first run generates a random key and stores it (mode 600).
        """
        if self.secret_key:
            return self
        path = self.data_dir / SECRET_FILE
        if not path.exists():
            self.data_dir.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(32) + "\n", encoding="ascii")
            path.chmod(0o600)
        return replace(self, secret_key=path.read_text(encoding="ascii").strip())
