"""The composition root: one site address for every entry point, every router in the app,
and an app that starts without WeasyPrint."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from microcred.app import create_app
from microcred.bootstrap import Platform
from microcred.cli.main import main
from microcred.config import Settings
from microcred.services import site_identity
from microcred.services.errors import SiteMismatch
from tests.api.client import ApiClient


def test_the_first_upgrade_records_the_site_and_another_address_is_refused(
    platform: Platform,
) -> None:
    with platform.context() as ctx:
        assert site_identity.recorded(ctx) == platform.settings.site_url()
    other = Platform(replace(platform.settings, public_url="http://127.0.0.1:9999"))
    try:
        with pytest.raises(SiteMismatch) as refused:
            other.confirm_site()
    finally:
        other.dispose()
    message = refused.value.message
    assert platform.settings.site_url() in message
    assert "http://127.0.0.1:9999" in message
    assert "MICROCRED_PUBLIC_URL" in message
    platform.confirm_site()  # the same address starts again


def test_the_cli_and_the_server_refuse_a_database_of_another_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MICROCRED_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("MICROCRED_DATABASE_URL", raising=False)
    monkeypatch.setenv("MICROCRED_PUBLIC_URL", "https://one.example")
    assert main(["db", "upgrade"]) == 0
    monkeypatch.setenv("MICROCRED_PUBLIC_URL", "https://two.example")
    capsys.readouterr()
    assert main(["provider", "list", "--json"]) == 2
    error = capsys.readouterr().err.strip()
    assert len(error.splitlines()) == 1
    assert "https://one.example" in error
    assert "https://two.example" in error
    assert main(["serve", "--port", "1"]) == 2  # refused before listening
    settings = Settings.from_env({"MICROCRED_DATA_DIR": str(tmp_path),
                                  "MICROCRED_PUBLIC_URL": "https://two.example"})  # fmt: skip
    app = create_app(settings.with_stored_secret())

    async def start() -> None:
        async with app.router.lifespan_context(app):
            pass

    with pytest.raises(SiteMismatch):
        asyncio.run(start())  # the server's start-up refuses it too
    app.state.platform.dispose()


def test_every_router_is_mounted_by_the_app(platform: Platform) -> None:
    app = create_app(platform.settings, platform=platform)
    client = ApiClient(app)
    try:
        paths = client.get("/openapi.json").json()["paths"]
        assert {"/credentials/{credential_id}/claim-link", "/oid4vci/credential",
                "/providers"} <= set(paths)  # fmt: skip
        for page in ("/", "/courses", "/login", "/verify", "/.well-known/openid-credential-issuer",
                     "/static/microcred.css"):  # fmt: skip
            assert client.get(page).status_code == 200, page
    finally:
        client.close()
    assert not hasattr(app.state, "learner")


def test_importing_the_app_does_not_load_weasyprint() -> None:
    code = "import sys, microcred.app; print('weasyprint' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)  # fmt: skip
    assert done.stdout.strip() == "False"
