"""``microcred keys / sign / verify / status`` as a user runs them, garbage included."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from microcred.cli.main import main

PASSPHRASE = "correct horse battery staple"
LIST_URL = "https://issuer.example/status/1"


@pytest.fixture(autouse=True)
def passphrase(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MICROCRED_KEY_PASSPHRASE", PASSPHRASE)


@pytest.fixture
def example(tmp_path: Path) -> Path:
    path = tmp_path / "example.yaml"
    source = resources.files("microcred.core.formats").joinpath("templates", "example.yaml")
    path.write_bytes(source.read_bytes())
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def new_key(capsys: pytest.CaptureFixture[str], folder: Path, kind: str = "ed25519") -> Path:
    path = folder / f"{kind}.key"
    code, out, _ = run(capsys, "keys", "new", "--type", kind, "-o", str(path))
    assert code == 0
    assert out.startswith("did:key:z")
    return path


def verify_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[Any]]:
    code, out, _ = run(capsys, "verify", "--json", *argv)
    return code, json.loads(out)


def check(result: dict[str, Any], name: str) -> dict[str, str]:
    return next(c for c in result["checks"] if c["name"] == name)


def test_keys_new_writes_a_private_file_and_prints_the_did(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    key = new_key(capsys, tmp_path, "p256")
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert json.loads(key.read_text())["did"].startswith("did:key:zDn")
    code, _, err = run(capsys, "keys", "new", "-o", str(key))
    assert code == 2
    assert "already exists" in err


def test_keys_new_refuses_to_prompt_without_a_terminal(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("MICROCRED_KEY_PASSPHRASE")
    code, _, err = run(capsys, "keys", "new", "-o", str(tmp_path / "k.key"))
    assert code == 2
    assert len(err.strip().splitlines()) == 1
    assert "MICROCRED_KEY_PASSPHRASE" in err


@pytest.mark.parametrize(
    ("kind", "suite"),
    [
        ("ed25519", "eddsa-rdfc-2022"),
        ("p256", "ecdsa-rdfc-2019"),
        ("ed25519", "eddsa-jcs-2022"),
        ("p256", "jose"),
        ("ed25519", "jose"),
        ("ed25519", "sd-jwt"),
    ],
)
def test_sign_then_verify(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, example: Path, kind: str, suite: str
) -> None:
    key = new_key(capsys, tmp_path, kind)
    signed = tmp_path / "signed.out"
    code, _, err = run(
        capsys, "sign", str(example), "--key", str(key), "--suite", suite, "-o", str(signed)
    )
    assert code == 0, err
    code, results = verify_json(capsys, str(signed))
    assert code == 0, results
    assert results[0]["verified"] is True
    assert results[0]["file"] == str(signed)
    assert {c["name"] for c in results[0]["checks"]} >= {"format", "proof", "issuer", "validity"}


@pytest.mark.parametrize(
    ("kind", "suite"), [("ed25519", "eddsa-rdfc-2022"), ("p384", "ecdsa-rdfc-2019")]
)
def test_sign_as_elm_then_verify(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, example: Path, kind: str, suite: str
) -> None:
    key = new_key(capsys, tmp_path, kind)
    signed = tmp_path / "signed.jsonld"
    argv = ["sign", str(example), "--key", str(key), "--suite", suite, "--format", "elm"]
    code, _, err = run(capsys, *argv, "-o", str(signed))
    assert code == 0, err
    assert "EuropeanDigitalCredential" in json.loads(signed.read_text())["type"]
    code, results = verify_json(capsys, str(signed))
    assert code == 0, results
    assert results[0]["completeness"]["state"] == "complete"


def test_sign_refuses_an_incomplete_micro_credential(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, example: Path
) -> None:
    key = new_key(capsys, tmp_path)
    text = example.read_text("utf-8")
    broken = tmp_path / "broken.json"
    code, out, _ = run(capsys, "convert", str(example), "--to", "native")
    document = json.loads(out)
    del document["workload"]
    document["learning_outcomes"] = []
    broken.write_text(json.dumps(document))
    code, out, err = run(capsys, "sign", str(broken), "--key", str(key))
    assert code == 1
    assert out == ""
    assert "workload" in err
    assert "learning_outcomes" in err
    assert text == example.read_text("utf-8")


def test_a_key_of_the_wrong_type_for_the_suite(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, example: Path
) -> None:
    key = new_key(capsys, tmp_path, "p256")
    code, _, err = run(
        capsys, "sign", str(example), "--key", str(key), "--suite", "eddsa-rdfc-2022"
    )
    assert code == 2
    assert "p256" in err
    assert "Traceback" not in err


def signed_credential(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, example: Path, *extra: str
) -> tuple[Path, Path]:
    key = new_key(capsys, tmp_path)
    signed = tmp_path / "signed.json"
    assert run(capsys, "sign", str(example), "--key", str(key), "-o", str(signed), *extra)[0] == 0
    return key, signed


def test_revoke_and_reinstate_through_a_status_list(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, example: Path
) -> None:
    key, signed = signed_credential(
        capsys, tmp_path, example, "--status-list", LIST_URL, "--status-index", "42"
    )
    status_file = tmp_path / "list.json"
    assert (
        run(capsys, "status", "new", str(status_file), "--url", LIST_URL, "--key", str(key))[0] == 0
    )
    documents = tmp_path / "documents.json"
    documents.write_text(json.dumps({LIST_URL: "list.json"}))
    code, results = verify_json(capsys, str(signed), "--documents", str(documents))
    assert code == 0
    assert check(results[0], "status")["status"] == "ok"
    assert run(capsys, "status", "set", str(status_file), "42", "--key", str(key))[0] == 0
    code, results = verify_json(capsys, str(signed), "--documents", str(documents))
    assert code == 1
    assert "revoked" in check(results[0], "status")["detail"]
    code, out, _ = run(capsys, "status", "show", str(status_file), "--json")
    assert json.loads(out)["set"] == [42]
    assert run(capsys, "status", "clear", str(status_file), "42", "--key", str(key))[0] == 0
    assert verify_json(capsys, str(signed), "--documents", str(documents))[0] == 0


def test_a_status_list_that_is_not_a_status_list(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, example: Path
) -> None:
    _, signed = signed_credential(
        capsys, tmp_path, example, "--status-list", LIST_URL, "--status-index", "3"
    )
    (tmp_path / "documents.json").write_text(json.dumps({LIST_URL: "signed.json"}))
    code, results = verify_json(
        capsys, str(signed), "--documents", str(tmp_path / "documents.json")
    )
    assert code == 1
    assert "not a status list" in check(results[0], "status")["detail"]
    code, _, err = run(capsys, "status", "show", str(signed))
    assert code == 2
    assert "not a status list" in err


def test_trust_list_and_now(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, example: Path
) -> None:
    key, signed = signed_credential(capsys, tmp_path, example)
    trust = tmp_path / "trust.json"
    trust.write_text(json.dumps([json.loads(key.read_text())["did"]]))
    code, results = verify_json(capsys, str(signed), "--trust", str(trust))
    assert code == 0
    assert check(results[0], "trusted-issuer")["status"] == "ok"
    trust.write_text(json.dumps({"issuers": ["did:web:someone-else.example"]}))
    assert verify_json(capsys, str(signed), "--trust", str(trust))[0] == 1
    code, results = verify_json(capsys, str(signed), "--now", "2020-01-01T00:00:00Z")
    assert code == 1
    assert "not valid yet" in check(results[0], "validity")["detail"]
    assert run(capsys, "verify", str(signed), "--now", "yesterday")[0] == 2


def _tamper(document: dict[str, Any], how: str, other: dict[str, Any]) -> dict[str, Any]:
    if how == "multibase":
        document["proof"]["proofValue"] = "z0OIl-not-base58"
    elif how == "moved":
        other = dict(other)
        other["proof"] = document["proof"]
        other["id"] = "urn:uuid:11111111-2222-3333-4444-555555555555"
        return other
    elif how == "changed":
        document["name"] = "A different title"
    return document


@pytest.mark.parametrize("how", ["multibase", "moved", "changed"])
def test_broken_proofs_are_failed_checks(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, example: Path, how: str
) -> None:
    _, signed = signed_credential(capsys, tmp_path, example)
    document = json.loads(signed.read_text())
    unsigned = {k: v for k, v in document.items() if k != "proof"}
    unsigned["name"] = "Another credential"
    signed.write_text(json.dumps(_tamper(document, how, unsigned)))
    code, results = verify_json(capsys, str(signed))
    assert code == 1
    assert check(results[0], "proof")["status"] == "failed"
    assert check(results[0], "proof")["detail"]


@pytest.mark.parametrize(
    "content",
    [
        b"\x00\x01\x02 binary",
        b"{broken json",
        b"[" * 10_000 + b"]" * 10_000,
        b'{"a":' * 10_000 + b"1" + b"}" * 10_000,
        b'{"hello": "world"}',
    ],
)
def test_garbage_files_exit_2_with_a_reason(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "garbage"
    path.write_bytes(content)
    code, out, err = run(capsys, "verify", str(path))
    assert code == 2
    assert out == ""  # the reason is one line on stderr, as the README promises
    assert err.count("\n") == 1
    assert err.startswith(f"microcred: error: {path}: ")
    assert "Traceback" not in out + err


def test_a_100_mb_file_is_refused_without_reading_it_all(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "huge.json"
    with path.open("wb") as handle:
        handle.truncate(100 * 1024 * 1024)
    code, results = verify_json(capsys, str(path))
    assert code == 2
    assert "bytes" in results[0]["checks"][0]["detail"]


CONNECTIONS: list[object] = []
_WATCHING: list[bool] = []
_HOOKED: list[bool] = []


def _audit(event: str, args: tuple[object, ...]) -> None:
    if _WATCHING and event == "socket.connect":
        CONNECTIONS.append(args[1])


def test_a_did_web_on_loopback_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, example: Path
) -> None:
    from microcred.core.keys import KeyPair
    from microcred.core.proofs.data_integrity import sign_document

    key = KeyPair.from_seed(bytes(32))
    code, out, _ = run(capsys, "convert", str(example), "--to", "ob3")
    document = json.loads(out)
    document["issuer"]["id"] = "did:web:127.0.0.1"
    signed = sign_document(document, key, "did:web:127.0.0.1#key-1", "eddsa-rdfc-2022")
    path = tmp_path / "loopback.json"
    path.write_text(json.dumps(signed))
    if not _HOOKED:
        sys.addaudithook(_audit)  # observes socket.connect; cannot be removed, so it is gated
        _HOOKED.append(True)
    _WATCHING.append(True)
    try:
        code, results = verify_json(capsys, str(path))
    finally:
        _WATCHING.clear()
    assert CONNECTIONS == []  # refused before any connection was attempted
    assert code == 1
    detail = check(results[0], "proof")["detail"]
    assert "127.0.0.1" in detail
    assert "loopback" in detail or "not a public address" in detail


def test_the_console_script_runs(tmp_path: Path, example: Path) -> None:
    script = Path(sys.executable).with_name("microcred")
    env = {**os.environ, "MICROCRED_KEY_PASSPHRASE": PASSPHRASE}
    key = tmp_path / "k.key"
    made = subprocess.run(
        [script, "keys", "new", "-o", key],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    signed = tmp_path / "s.json"
    subprocess.run(
        [script, "sign", example, "--key", key, "-o", signed],
        check=True,
        env=env,
        capture_output=True,
        stdin=subprocess.DEVNULL,
    )
    result = subprocess.run(
        [script, "verify", signed, "--json"], capture_output=True, text=True, env=env, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout)[0]["verified"] is True
    no_tty = subprocess.run(
        [script, "keys", "new"],
        capture_output=True,
        text=True,
        check=False,
        env={k: v for k, v in env.items() if k != "MICROCRED_KEY_PASSPHRASE"},
        stdin=subprocess.DEVNULL,
    )
    assert no_tty.returncode == 2
    assert no_tty.stderr.count("\n") == 1


def test_a_status_list_url_verifiers_could_not_fetch_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    key = new_key(capsys, tmp_path)
    code, _, err = run(capsys, "status", "new", str(tmp_path / "l.json"), "--url",
                       "https://[::1/x", "--key", str(key))  # fmt: skip
    assert (code, err.count("\n")) == (2, 1)
    assert "is not a URL" in err
    assert not (tmp_path / "l.json").exists()
