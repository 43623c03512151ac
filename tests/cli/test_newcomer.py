"""What a newcomer trips over (issue 8 §8): reading is not verifying, one reading of input with
one set of messages, exit-2 reasons on stderr, commands that say what they wrote."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from microcred.cli.main import main
from microcred.core.i18n import translate

PYTHON_TYPE_NAMES = ("str", "list", "int", "float", "dict", "NoneType", "bool")


@pytest.fixture(autouse=True)
def passphrase(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MICROCRED_KEY_PASSPHRASE", "correct horse battery staple")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Path]:
    """A description, a key, and the credential signed from them."""
    found = {"description": tmp_path / "mc.yaml", "key": tmp_path / "key.json"}
    found["signed"] = tmp_path / "signed.json"
    assert main(["new", "-o", str(found["description"])]) == 0
    assert main(["keys", "new", "-o", str(found["key"])]) == 0
    argv = ["sign", str(found["description"]), "--key", str(found["key"])]
    assert main([*argv, "-o", str(found["signed"])]) == 0
    capsys.readouterr()
    return found


def test_inspect_says_a_signature_was_not_checked_even_when_tampered(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    document = json.loads(files["signed"].read_text())
    document["credentialSubject"]["achievement"]["name"] += "!"  # one character changed
    tampered = tmp_path / "tampered.json"
    tampered.write_text(json.dumps(document))
    code, out, _ = run(capsys, "inspect", str(tampered))
    assert code == 0  # the content is complete: inspect reads content only...
    assert "Signature: NOT CHECKED" in out  # ...and says so
    assert f"microcred verify {tampered}" in out
    assert run(capsys, "verify", str(tampered))[0] == 1


def test_inspect_of_a_description_does_not_talk_about_signatures(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "inspect", str(files["description"]))
    assert code == 0
    assert "Signature" not in out + err


def test_inspect_json_stays_json_and_the_notice_goes_to_stderr(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "inspect", str(files["signed"]), "--json")
    assert code == 0
    assert json.loads(out)["format"] == "ob3"
    assert "microcred: notice: Signature: NOT CHECKED" in err


@pytest.mark.parametrize("lang", ["en", "fr", "ro", "de"])
def test_the_signature_notice_speaks_the_chosen_language(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str], lang: str
) -> None:
    _, out, _ = run(capsys, "inspect", str(files["signed"]), "--lang", lang)
    expected = translate("inspect.signature_not_checked", lang, file=str(files["signed"]))
    assert expected in out


@pytest.mark.parametrize(
    ("lang", "label"),
    [
        ("en", "stackable towards: Master"),
        ("fr", "empilable en vue de : Master"),
        ("ro", "cumulabil în vederea obținerii: Master"),
        ("de", "anrechenbar auf: Master"),
    ],
)
def test_stackable_towards_is_translated(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str], lang: str, label: str
) -> None:
    _, out, _ = run(capsys, "inspect", str(files["description"]), "--lang", lang)
    assert label in out
    if lang != "en":
        assert "stackable towards" not in out


BAD_INPUTS = {
    "empty": (b"", "the file is empty"),
    "blank": (b"  \n\t\n", "the file is empty"),
    "array": (b"[1, 2]", "a credential is a JSON object {...}, not an array [...]"),
    "string": (b'"hello"', "a credential is a JSON object {...}, not a string"),
    "number": (b"42", "a credential is a JSON object {...}, not a number"),
    "broken": (b'{"a": ', "broken JSON"),
    "binary": (b"\x00\x01\x02", "binary data"),
}
COMMANDS = {
    "verify": ["verify", "{file}"],
    "inspect": ["inspect", "{file}"],
    "convert": ["convert", "{file}", "--to", "ob3"],
    "sign": ["sign", "{file}", "--key", "{key}"],
    "clr build": ["clr", "build", "{file}", "--issuer-key", "{key}"],
    "status show": ["status", "show", "{file}"],
}


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("kind", list(BAD_INPUTS))
def test_every_command_reads_input_the_same_way(
    files: dict[str, Path],
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    command: str,
    kind: str,
) -> None:
    content, message = BAD_INPUTS[kind]
    path = tmp_path / "input.json"
    path.write_bytes(content)
    argv = [a.format(file=path, key=files["key"]) for a in COMMANDS[command]]
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith(f"microcred: error: {path}: {message}")
    assert not set(PYTHON_TYPE_NAMES) & set(err.replace(",", " ").split())


def test_verify_writes_its_exit_2_reason_on_stderr(tmp_path: Path) -> None:
    path = tmp_path / "empty.json"
    path.write_bytes(b"")
    done = subprocess.run(
        [sys.executable, "-m", "microcred.cli.main", "verify", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == f"microcred: error: {path}: the file is empty\n"


def test_verify_of_a_description_says_to_sign_it(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "verify", str(files["description"]))
    assert code == 2
    assert out == ""
    assert "not a signed credential: sign it with `microcred sign`" in err


def test_verify_reports_readable_files_and_names_the_unreadable_one(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    empty = tmp_path / "empty.json"
    empty.write_bytes(b"")
    code, out, err = run(capsys, "verify", str(files["signed"]), str(empty))
    assert code == 2
    assert "signed.json: VERIFIED" in out
    assert "empty.json" not in out
    assert err == f"microcred: error: {empty}: the file is empty\n"


def test_convert_of_an_unsigned_document_does_not_warn_about_proofs(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, "convert", str(files["description"]), "--to", "ob3")
    assert code == 0
    assert "proof" not in err
    assert "signature" not in err
    unsigned = tmp_path / "unsigned.json"
    unsigned.write_text(_without_proof(files["signed"]))
    code, _, err = run(capsys, "convert", str(unsigned), "--to", "elm")
    assert code == 0
    assert "signature" not in err


def _without_proof(path: Path) -> str:
    document = json.loads(path.read_text())
    del document["proof"]
    return json.dumps(document)


def test_convert_of_a_signed_document_says_the_signature_is_not_carried_over(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "convert", str(files["signed"]), "--to", "elm")
    assert code == 0
    assert "the signature of the original is not carried over" in err


def test_convert_and_sign_say_what_they_wrote(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "out.json"
    code, out, err = run(capsys, "convert", str(files["description"]), "--to", "elm", "-o",
                         str(target))  # fmt: skip
    assert (code, out) == (0, "")
    assert err == (
        f"wrote {target}: a Europass (ELM/EDC) credential, unsigned; "
        f"sign it with `microcred sign {target} --key KEY`\n"
    )
    signed = tmp_path / "signed-again.json"
    argv = ["sign", str(files["description"]), "--key", str(files["key"]), "-o", str(signed)]
    code, out, err = run(capsys, *argv)
    assert (code, out) == (0, "")
    assert err.startswith(f"wrote {signed}: ob3 credential signed with eddsa-rdfc-2022 by did:key:")
    assert err.endswith(f"check it with `microcred verify {signed}`\n")
    assert json.loads(signed.read_text())["proof"]
