"""``microcred sign`` signs only what ``microcred verify`` would call well-formed."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest

from microcred.cli.main import main


@pytest.fixture
def key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MICROCRED_KEY_PASSPHRASE", "correct horse battery staple")
    path = tmp_path / "issuer.key"
    assert main(["keys", "new", "-o", str(path)]) == 0
    return path


@pytest.fixture
def ob3(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    """A complete, unsigned OB 3.0 micro-credential, as ``convert`` writes it."""
    source = resources.files("microcred.core.formats").joinpath("templates", "example.yaml")
    path = tmp_path / "example.yaml"
    path.write_bytes(source.read_bytes())
    capsys.readouterr()
    assert main(["convert", str(path), "--to", "ob3"]) == 0
    document: dict[str, object] = json.loads(capsys.readouterr().out)
    return document


def test_a_malformed_credential_is_not_signed(
    tmp_path: Path, key: Path, ob3: dict[str, object], capsys: pytest.CaptureFixture[str]
) -> None:
    ob3["termsOfUse"] = {"id": "https://issuer.example/terms"}  # no type: the verifier refuses
    path = tmp_path / "terms.json"
    path.write_text(json.dumps(ob3))
    out = tmp_path / "signed.json"
    capsys.readouterr()
    assert main(["sign", str(path), "--key", str(key), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.strip().splitlines() == [
        "microcred: error: the credential is not well-formed: termsOfUse needs a type"
    ]
    assert not out.exists()
    del ob3["termsOfUse"]
    path.write_text(json.dumps(ob3))
    assert main(["sign", str(path), "--key", str(key), "-o", str(out)]) == 0
    assert main(["verify", str(out)]) == 0


def test_a_status_entry_that_is_not_a_url_is_not_signed(
    tmp_path: Path, key: Path, ob3: dict[str, object], capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "ob3.json"
    path.write_text(json.dumps(ob3))
    capsys.readouterr()
    argv = ["sign", str(path), "--key", str(key), "--status-list", "list 1", "--status-index", "3"]
    assert main(argv) == 2
    assert "the status list URL 'list 1'" in capsys.readouterr().err


def test_a_clr_for_a_learner_that_is_not_a_url_is_not_signed(
    tmp_path: Path, key: Path, ob3: dict[str, object], capsys: pytest.CaptureFixture[str]
) -> None:
    path, signed, bundle = tmp_path / "ob3.json", tmp_path / "signed.json", tmp_path / "clr.json"
    path.write_text(json.dumps(ob3))
    assert main(["sign", str(path), "--key", str(key), "-o", str(signed)]) == 0
    capsys.readouterr()
    argv = ["clr", "build", str(signed), "--issuer-key", str(key), "-o", str(bundle)]
    assert main([*argv, "--learner", "Ana Popescu"]) == 2
    assert capsys.readouterr().err.strip().splitlines() == [
        'microcred: error: the credential is not well-formed: credentialSubject id "Ana Popescu"'
        " is not a single URL"
    ]
    assert not bundle.exists()
    assert main([*argv, "--learner", "did:example:ana"]) == 0
    assert main(["verify", str(bundle)]) == 0
