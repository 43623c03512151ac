"""``microcred clr build``, then ``verify`` and ``inspect`` of the bundle, as a user runs them."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest

from tests.cli.test_crypto_cli import new_key, run, verify_json

TITLE = "Data literacy for public administration"
LARGER = "Certificate in public data"


@pytest.fixture(autouse=True)
def passphrase(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MICROCRED_KEY_PASSPHRASE", "correct horse battery staple")


def _signed(capsys: pytest.CaptureFixture[str], folder: Path, title: str, key: Path) -> Path:
    source = resources.files("microcred.core.formats").joinpath("templates", "example.yaml")
    text = source.read_text("utf-8").replace(f"en: {TITLE}", f"en: {title}")
    description = folder / f"{len(list(folder.iterdir()))}.yaml"
    description.write_text(text, "utf-8")
    signed = description.with_suffix(".json")
    code, _, err = run(capsys, "sign", str(description), "--key", str(key), "-o", str(signed))
    assert code == 0, err
    return signed


@pytest.fixture
def bundle(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Path:
    for folder in ("provider", "wallet", "parts"):
        (tmp_path / folder).mkdir()
    provider, wallet = new_key(capsys, tmp_path / "provider"), new_key(capsys, tmp_path / "wallet")
    parts = tmp_path / "parts"
    small, large = (_signed(capsys, parts, title, provider) for title in (TITLE, LARGER))
    out = tmp_path / "record.clr.json"
    code, _, err = run(capsys, "clr", "build", str(small), str(large), "--issuer-key", str(wallet),
                       "--association", "1", "isPartOf", "2", "--name", "Ana's record",
                       "-o", str(out))  # fmt: skip
    assert code == 0, err
    return out


def test_a_built_clr_verifies_with_each_part_beneath(
    capsys: pytest.CaptureFixture[str], bundle: Path
) -> None:
    code, [result] = verify_json(capsys, str(bundle))
    assert code == 0, result
    assert (result["format"], result["verified"]) == ("CLR 2.0", True)
    assert [part["verified"] for part in result["credentials"]] == [True, True]
    associations = next(c for c in result["checks"] if c["name"] == "associations")
    assert associations["detail"] == f"'{TITLE}' isPartOf '{LARGER}'"
    code, out, _ = run(capsys, "verify", str(bundle))
    assert "credential 2: VERIFIED (Open Badges 3.0)" in out


def test_inspect_shows_every_part_and_the_associations(
    capsys: pytest.CaptureFixture[str], bundle: Path
) -> None:
    code, out, _ = run(capsys, "inspect", str(bundle))
    assert code == 0
    assert "CLR 2.0: Ana's record" in out
    assert out.index(TITLE) < out.index(LARGER)
    assert f"{TITLE} isPartOf {LARGER}" in out
    code, out, _ = run(capsys, "inspect", "--json", "--lang", "fr", str(bundle))
    summary = json.loads(out)
    assert [part["format"] for part in summary["parts"]] == ["ob3", "ob3"]
    assert summary["parts"][0]["title"] == "Littératie des données pour l'administration publique"
    assert summary["associations"][0]["type"] == "isPartOf"


def test_a_tampered_part_makes_the_bundle_fail(
    capsys: pytest.CaptureFixture[str], bundle: Path
) -> None:
    document = json.loads(bundle.read_text("utf-8"))
    document["credentialSubject"]["verifiableCredential"][0]["validFrom"] = "2020-01-01T00:00:00Z"
    bundle.write_text(json.dumps(document), "utf-8")
    code, [result] = verify_json(capsys, str(bundle))
    assert code == 1
    assert result["authentic"] is False
    assert result["credentials"][0]["authentic"] is False


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--association", "1", "isPartof", "2"], "isPartof' is not one of"),
        (["--association", "1", "isPartOf", "3"], "no credential number 3"),
        ([], "give --learner"),  # the two credentials name different subjects
    ],
)
def test_clr_build_refuses_bad_arguments_in_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, extra: list[str], message: str
) -> None:
    key = new_key(capsys, tmp_path)
    parts = tmp_path / "parts"
    parts.mkdir()
    first = _signed(capsys, parts, TITLE, key)
    second = parts / "other.json"
    document = json.loads(_signed(capsys, parts, LARGER, key).read_text("utf-8"))
    if not extra:
        document["credentialSubject"]["id"] = "did:example:someone-else"
    second.write_text(json.dumps(document), "utf-8")
    argv = ["clr", "build", str(first), str(second), "--issuer-key", str(key), *extra]
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "")
    assert len(err.strip().splitlines()) == 1
    assert message in err


def test_clr_build_refuses_an_unsigned_credential(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    key = new_key(capsys, tmp_path)
    code, out, _ = run(capsys, "convert", str(_description(tmp_path)), "--to", "ob3")
    unsigned = tmp_path / "unsigned.json"
    unsigned.write_text(out, "utf-8")
    code, _, err = run(capsys, "clr", "build", str(unsigned), "--issuer-key", str(key))
    assert code == 2
    assert "credential 1 is not signed" in err


def _description(folder: Path) -> Path:
    source = resources.files("microcred.core.formats").joinpath("templates", "example.yaml")
    path = folder / "example.yaml"
    path.write_bytes(source.read_bytes())
    return path
