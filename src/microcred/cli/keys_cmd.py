"""``microcred keys new``: a signing key in a passphrase-encrypted file, named by its did:key."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from microcred.cli.output import UsageError, read_input, write_output
from microcred.core.keys import KeyPair, KeyType

PASSPHRASE_ENV = "MICROCRED_KEY_PASSPHRASE"  # noqa: S105 - a variable name, not a secret


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    keys = sub.add_parser("keys", help="manage signing keys")
    actions = keys.add_subparsers(dest="keys_command", metavar="ACTION", required=True)
    new = actions.add_parser("new", help="generate a key; prints its did:key")
    new.add_argument(
        "--type",
        choices=[t.value for t in KeyType],
        default="ed25519",
        help="key type (default ed25519)",
    )
    new.add_argument("-o", "--output", help="key file to write (default standard output)")
    new.set_defaults(handler=run_new)


def passphrase(*, confirm: bool = False) -> bytes:
    """From ``MICROCRED_KEY_PASSPHRASE``, else a prompt; never prompts without a terminal."""
    value = os.environ.get(PASSPHRASE_ENV)
    if value:
        return value.encode("utf-8")
    if not sys.stdin.isatty():
        raise UsageError(f"no passphrase: set {PASSPHRASE_ENV} (standard input is not a terminal)")
    first = getpass.getpass("Key passphrase: ")
    if confirm and getpass.getpass("Repeat the passphrase: ") != first:
        raise UsageError("the passphrases differ")
    if not first:
        raise UsageError("the passphrase cannot be empty")
    return first.encode("utf-8")


def load_key(path: str) -> KeyPair:
    """Decrypt a key file written by ``microcred keys new``."""
    return KeyPair.from_encrypted(read_input(path), passphrase())


def run_new(args: argparse.Namespace) -> int:
    secret = passphrase(confirm=True)
    pair = KeyPair.generate(KeyType(args.type))
    data = pair.to_encrypted(secret).decode("utf-8")
    if args.output in (None, "-"):
        write_output(data, None)
        print(pair.public.did_key, file=sys.stderr)
        return 0
    path = Path(args.output)
    if path.exists():
        raise UsageError(f"{path}: already exists (a key is never overwritten)")
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(data)
    except OSError as error:
        raise UsageError(f"{path}: {error.strerror}") from None
    print(pair.public.did_key)
    return 0
